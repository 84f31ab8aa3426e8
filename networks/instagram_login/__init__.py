"""Instagram professional accounts connected with Instagram Login (no Facebook Page)."""
