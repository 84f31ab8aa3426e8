"""Campaigns, ideas, posts with variants, media, links and approvals through the API, one
module per resource (serializers in `serializers.py`).

Writes go through the campaigns services; approvals are their own small endpoints
(`/posts/{id}/approve/`, `/posts/{id}/request-changes/`); `/posts/calendar/` answers a date
range. List endpoints read through the selectors' joins (their query counts are tested).
"""
