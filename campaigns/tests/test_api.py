"""The API: campaigns, ideas, posts with variants, approvals as their own endpoints, media,
links, calendar ranges; list endpoints read in a fixed number of queries."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from agency.tests.factories import ApiKeyFactory
from campaigns.models import Post, PostState
from campaigns.tests.factories import (
    CampaignFactory,
    CampaignPersonaFactory,
    IdeaFactory,
    MediaAssetFactory,
    PostFactory,
    PostVariantFactory,
    ShareLinkFactory,
)
from clients.tests.factories import BrandFactory, PersonaFactory, SocialAccountFactory

UTC = dt.UTC


def test_a_campaign_is_planned_through_the_api(agency_a, brand_a, member_of_a, api_as):
    persona = PersonaFactory(agency=agency_a, brand=brand_a)
    response = api_as(member_of_a).post(
        "/api/v1/campaigns/",
        {
            "brand": brand_a.pk,
            "name": "Recrutement ambassadeurs",
            "objective": "community_recruitment",
            "recruitment_channel": "referral",
            "starts_on": "2030-03-01",
            "ends_on": "2030-04-01",
            "budget": "15000.50",
            "kpi_targets": {"reach": 50000, "leads": 300},
            "persona_ids": [persona.pk],
            "tags": ["ramadan"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["currency"] == "MAD" and body["budget"] == "15000.50"
    assert body["personas"] == [persona.pk]


def test_a_campaign_that_ends_before_it_starts_is_refused(brand_a, member_of_a, api_as):
    response = api_as(member_of_a).post(
        "/api/v1/campaigns/",
        {
            "brand": brand_a.pk,
            "name": "X",
            "objective": "awareness",
            "starts_on": "2030-03-01",
            "ends_on": "2030-02-01",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "ends_on" in response.json()["error"]["fields"]


def test_audiences_of_another_brand_are_refused(agency_a, brand_a, member_of_a, api_as):
    other = PersonaFactory(agency=agency_a, brand=BrandFactory(agency=agency_a))
    response = api_as(member_of_a).post(
        "/api/v1/campaigns/",
        {
            "brand": brand_a.pk,
            "name": "X",
            "objective": "awareness",
            "starts_on": "2030-03-01",
            "ends_on": "2030-03-02",
            "persona_ids": [other.pk],
        },
        format="json",
    )
    assert response.status_code == 400


def test_a_post_for_three_networks_is_composed_submitted_and_approved_through_the_api(
    agency_a,
    brand_a,
    accounts_a,
    member_of_a,
    owner_of_a,
    client_of_a,
    api_client,
    client_mode,
):
    api_client.force_login(member_of_a.user)
    created = api_client.post(
        "/api/v1/posts/",
        {
            "brand": brand_a.pk,
            "text": "Ftour à 19h",
            "accounts": [a.pk for a in accounts_a],
            "overrides": {str(accounts_a[1].pk): "Ftour à 19h (Bluesky)"},
            "scheduled_at_local": "2030-03-01T19:00",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    post = created.json()
    assert dt.datetime.fromisoformat(post["scheduled_at"]) == dt.datetime(
        2030, 3, 1, 18, tzinfo=UTC
    )
    assert post["scheduled_at_local"] == "2030-03-01T19:00:00+01:00"
    assert len(post["variants"]) == 3
    submitted = api_client.post(f"/api/v1/posts/{post['id']}/submit/")
    assert submitted.json()["state"] == "in_review"
    api_client.force_login(owner_of_a.user)
    assert api_client.post(f"/api/v1/posts/{post['id']}/approve/", {}).json()["review_stage"] == (
        "client"
    )
    api_client.force_login(client_of_a.user)
    approved = api_client.post(f"/api/v1/posts/{post['id']}/approve/", {"comment": "OK"})
    assert approved.json()["state"] == "scheduled"
    assert {v["state"] for v in approved.json()["variants"]} == {"scheduled"}


def test_request_changes_needs_a_comment(agency_a, brand_a, owner_of_a, api_as):
    post = PostFactory(
        agency=agency_a, brand=brand_a, state=PostState.IN_REVIEW, review_stage="internal"
    )
    client = api_as(owner_of_a)
    url = f"/api/v1/posts/{post.pk}/request-changes/"
    assert client.post(url, {}, format="json").status_code == 400
    response = client.post(url, {"comment": "Plus court."}, format="json")
    assert response.json()["state"] == "changes_requested"


def test_submitting_a_post_that_breaks_a_rule_answers_400_with_the_reason(
    agency_a, brand_a, member_of_a, api_as
):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="bluesky")
    post = PostFactory(agency=agency_a, brand=brand_a, text="x" * 301)
    PostVariantFactory(agency=agency_a, post=post, social_account=account)
    response = api_as(member_of_a).post(
        f"/api/v1/posts/{post.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Bluesky allows 300 characters" in response.json()["error"]["message"]


def test_editing_a_post_through_the_api_keeps_a_new_version(
    agency_a, brand_a, accounts_a, member_of_a, api_as
):
    client = api_as(member_of_a)
    post = client.post(
        "/api/v1/posts/",
        {"brand": brand_a.pk, "text": "v1", "accounts": [accounts_a[0].pk]},
        format="json",
    ).json()
    edited = client.patch(f"/api/v1/posts/{post['id']}/", {"text": "v2"}, format="json")
    assert edited.status_code == 200
    assert (edited.json()["text"], edited.json()["version"]) == ("v2", 2)


def test_the_calendar_endpoint_answers_a_date_range(agency_a, brand_a, member_of_a, api_as):
    inside = PostFactory(
        agency=agency_a, brand=brand_a, scheduled_at=dt.datetime(2026, 2, 16, 18, 30, tzinfo=UTC)
    )
    PostFactory(
        agency=agency_a, brand=brand_a, scheduled_at=dt.datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    )
    response = api_as(member_of_a).get(
        "/api/v1/posts/calendar/",
        {"start": "2026-02-01T00:00:00Z", "end": "2026-03-01T00:00:00Z", "brand": brand_a.pk},
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [inside.pk]
    assert rows[0]["scheduled_at_local"] == "2026-02-16T18:30:00+00:00"  # Ramadan time, UTC+0


def test_the_calendar_range_is_bounded(member_of_a, api_as):
    response = api_as(member_of_a).get(
        "/api/v1/posts/calendar/", {"start": "2026-01-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"}
    )
    assert response.status_code == 400


def test_a_client_sees_only_their_brands_posts(agency_a, brand_a, client_of_a, api_as):
    PostFactory(agency=agency_a, brand=brand_a, title="Visible")
    hidden = PostFactory(agency=agency_a, brand=BrandFactory(agency=agency_a), title="Cachée")
    client = api_as(client_of_a)
    assert [p["title"] for p in client.get("/api/v1/posts/").json()["results"]] == ["Visible"]
    assert client.get(f"/api/v1/posts/{hidden.pk}/").status_code == 404
    assert client.post(f"/api/v1/posts/{hidden.pk}/approve/", {}).status_code == 404


def test_an_api_key_cannot_approve(agency_a, brand_a, api_as):
    post = PostFactory(
        agency=agency_a, brand=brand_a, state=PostState.IN_REVIEW, review_stage="internal"
    )
    response = api_as(ApiKeyFactory(agency=agency_a)).post(f"/api/v1/posts/{post.pk}/approve/", {})
    assert response.status_code == 403
    assert Post.unscoped.get(pk=post.pk).state == PostState.IN_REVIEW


def test_an_idea_becomes_a_draft_post(agency_a, brand_a, member_of_a, api_as):
    idea = IdeaFactory(
        agency=agency_a,
        brand=brand_a,
        kind="contest",
        title="Concours photo",
        description="Partagez votre ftour",
    )
    response = api_as(member_of_a).post(f"/api/v1/ideas/{idea.pk}/convert/")
    assert response.status_code == 201
    assert (response.json()["title"], response.json()["state"]) == ("Concours photo", "draft")
    idea.refresh_from_db()
    assert idea.status == "used" and idea.post_id == response.json()["id"]


def test_media_is_uploaded_through_the_api(brand_a, member_of_a, api_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (300, 200)).save(out, "PNG")
    out.name = "visuel.png"
    out.seek(0)
    response = api_as(member_of_a).post(
        "/api/v1/media/",
        {"brand": brand_a.pk, "file": out, "alt_text": "Visuel"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["width"], response.json()["kind"]) == (300, "image")


def test_share_links_are_created_and_revoked_through_the_api(brand_a, member_of_a, api_as):
    client = api_as(member_of_a)
    link = client.post(
        "/api/v1/share-links/",
        {"brand": brand_a.pk, "kind": "approval", "valid_days": 10},
        format="json",
    ).json()
    assert "/approve/" in link["url"]
    revoked = client.post(f"/api/v1/share-links/{link['id']}/revoke/")
    assert revoked.json()["revoked_at"] is not None


def test_comments_through_the_api(agency_a, brand_a, member_of_a, api_as):
    post = PostFactory(agency=agency_a, brand=brand_a)
    client = api_as(member_of_a)
    assert client.post(f"/api/v1/posts/{post.pk}/comments/", {"body": "Relu"}).status_code == 201
    assert [c["body"] for c in client.get(f"/api/v1/posts/{post.pk}/comments/").json()] == ["Relu"]


# --- No N+1 on lists ---------------------------------------------------------------------------


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


def _populate(agency, brand, n):
    campaign = CampaignFactory(agency=agency, brand=brand)
    for i in range(n):
        post = PostFactory(
            agency=agency,
            brand=brand,
            campaign=campaign,
            scheduled_at=dt.datetime(2030, 1, 1 + i, 9, tzinfo=UTC),
        )
        for network in ("mastodon", "bluesky"):
            PostVariantFactory(
                agency=agency,
                post=post,
                social_account=SocialAccountFactory(agency=agency, brand=brand, network=network),
            )
        CampaignPersonaFactory(
            agency=agency,
            campaign=CampaignFactory(agency=agency, brand=brand),
            persona=PersonaFactory(agency=agency, brand=brand),
        )
        IdeaFactory(agency=agency, brand=brand)
        MediaAssetFactory(agency=agency, brand=brand)
        ShareLinkFactory(agency=agency, brand=brand)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/posts/",
        "/api/v1/posts/calendar/?start=2030-01-01T00:00:00Z&end=2030-02-01T00:00:00Z",
        "/api/v1/campaigns/",
        "/api/v1/ideas/",
        "/api/v1/media/",
        "/api/v1/share-links/",
    ],
)
def test_list_endpoints_read_in_a_constant_number_of_queries(
    path, agency_a, brand_a, owner_of_a, api_as, in_agency, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = api_as(owner_of_a)
    with in_agency(agency_a):
        _populate(agency_a, brand_a, 2)
    few = _count(client, path)
    with in_agency(agency_a):
        _populate(agency_a, brand_a, 8)
    assert _count(client, path) == few
    assert few <= 10
