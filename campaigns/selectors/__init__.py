"""Reads of campaigns, ideas, posts, media and links (one module per topic), narrowed to what
the actor may see. Fetch-by-id helpers answer 404 for "missing" and "not yours" alike."""
