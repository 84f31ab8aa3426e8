"""TikTok (Login Kit for Web, Content Posting API, Display API): the adapter and its rules."""
