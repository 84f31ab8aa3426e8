"""Threads (Meta's Threads API v1.0): posts and carousels, replies, mentions, insights, OAuth."""
