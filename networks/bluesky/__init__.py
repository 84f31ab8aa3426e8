"""Bluesky (AT Protocol): the adapter, sessions from app passwords, content rules, the profile."""
