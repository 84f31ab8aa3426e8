"""YouTube: the adapter (Data API v3), its content rules, the resumable upload and the channel
look-up after Google's OAuth."""
