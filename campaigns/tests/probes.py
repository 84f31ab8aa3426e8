"""Role-matrix probes for the campaigns actions (agency/tests/test_roles.py calls `probe`).

One API request per action that needs exactly that action: (method, path, payload).
"""

from agency import permissions


def probe(action: str, *, agency, brand):
    from campaigns.tests.factories import PostFactory

    if action == permissions.CAMPAIGNS_VIEW:
        return "get", "/api/v1/campaigns/", None
    if action == permissions.CAMPAIGNS_MANAGE:
        payload = {
            "brand": brand.pk,
            "name": "Ramadan 2027",
            "objective": "engagement",
            "starts_on": "2027-02-01",
            "ends_on": "2027-03-10",
        }
        return "post", "/api/v1/campaigns/", payload
    if action == permissions.POSTS_WRITE:
        return "post", "/api/v1/posts/", {"brand": brand.pk, "text": "Bonjour Tanger"}
    if action in (permissions.POSTS_APPROVE, permissions.POSTS_CLIENT_APPROVE):
        stage = "internal" if action == permissions.POSTS_APPROVE else "client"
        post = PostFactory(agency=agency, brand=brand, state="in_review", review_stage=stage)
        return "post", f"/api/v1/posts/{post.pk}/approve/", {"comment": "OK"}
    if action == permissions.POSTS_COMMENT:
        post = PostFactory(agency=agency, brand=brand)
        return "post", f"/api/v1/posts/{post.pk}/comments/", {"body": "Très bien"}
    if action == permissions.SHARE_LINKS_MANAGE:
        return "post", "/api/v1/share-links/", {"brand": brand.pk, "kind": "calendar"}
    raise KeyError(action)
