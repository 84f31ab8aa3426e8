"""Pinterest (API v5): pins on the account's boards, its boards, analytics and OAuth."""
