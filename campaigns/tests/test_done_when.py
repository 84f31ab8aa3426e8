"""The issue's "done when", as one journey through the dashboard and the signed link."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Campaign, Post, PostState, ShareLink

pytestmark = pytest.mark.usefixtures("en")


def test_plan_compose_submit_approve_and_see_it_on_the_calendar(
    agency_a, brand_a, accounts_a, member_of_a, owner_of_a, client_of_a, client_mode, en_login
):
    cm = en_login(member_of_a)
    # 1. Plan a campaign.
    cm.post(
        reverse("campaigns:campaign_create"),
        {
            "brand": brand_a.pk,
            "name": "Ramadan 2030",
            "objective": "engagement",
            "starts_on": "2030-01-20",
            "ends_on": "2030-03-10",
            "currency": "MAD",
            "status": "active",
            "utm_enabled": "on",
            "utm_source": "{network}",
            "utm_medium": "social",
        },
    )
    campaign = Campaign.unscoped.get(name="Ramadan 2030")
    # 2. Compose for three networks: previews with counts and errors as typed.
    preview = cm.post(
        reverse("campaigns:compose_preview"),
        {
            "brand": brand_a.pk,
            "accounts": [a.pk for a in accounts_a],
            "text": "x" * 320,
        },
    ).content.decode()
    assert "320 / 500" in preview and "320 / 300" in preview and "320 / 3000" in preview
    assert "Bluesky allows 300 characters" in preview
    for title, local in (("Ftour offert", "2030-02-05T19:00"), ("Concours", "2030-02-06T12:00")):
        response = cm.post(
            reverse("campaigns:post_create"),
            {
                "brand": brand_a.pk,
                "accounts": [a.pk for a in accounts_a],
                "title": title,
                "text": f"{title} chez Café Tanger https://cafe-tanger.ma/ftour",
                "campaign": campaign.pk,
                "scheduled_at": local,
                "submit": "1",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    first, second = Post.unscoped.order_by("id")
    assert {first.state, second.state} == {PostState.IN_REVIEW}
    # 3. Internal approval by the owner.
    boss = en_login(owner_of_a)
    for post in (first, second):
        boss.post(reverse("campaigns:post_approve", kwargs={"post_id": post.pk}))
    # 4. The logged-in client approver approves the first post...
    en_login(client_of_a).post(reverse("campaigns:post_approve", kwargs={"post_id": first.pk}))
    # ...and another person at the client, through the signed link, asks changes on the second.
    cm = en_login(member_of_a)
    cm.post(
        reverse("campaigns:brand_publishing", kwargs={"brand_id": brand_a.pk}),
        {"form": "link", "kind": "approval", "label": "Direction", "valid_days": 14},
    )
    page = cm.get(reverse("campaigns:brand_publishing", kwargs={"brand_id": brand_a.pk}))
    link_path = re.search(r"(/approve/[^<\s\"]+/)", page.content.decode()).group(1)
    assert ShareLink.unscoped.filter(brand=brand_a).count() == 1
    outside = Client(HTTP_ACCEPT_LANGUAGE="en")
    body = outside.get(link_path).content.decode()
    assert "Concours" in body and "Ftour offert" not in body  # only what awaits the client
    assert "utm_source=mastodon" in body  # the preview as it will be sent
    outside.post(
        link_path,
        {"post": second.pk, "decision": "changes", "comment": "Précisez le règlement du concours."},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == PostState.SCHEDULED
    assert second.state == PostState.CHANGES_REQUESTED
    # 5. Stored in UTC from the brand's wall clock (Casablanca is on Ramadan time, UTC+0, in
    # early February 2030), and the calendar shows both at the brand's wall-clock time.
    casablanca = zoneinfo.ZoneInfo("Africa/Casablanca")
    assert first.scheduled_at == dt.datetime(2030, 2, 5, 19, tzinfo=casablanca)
    assert dt.datetime(2030, 2, 5, 19, tzinfo=casablanca).utcoffset() == dt.timedelta(0)
    calendar = cm.get(
        reverse("campaigns:calendar"), {"view": "week", "day": "2030-02-05", "brand": brand_a.pk}
    ).content.decode()
    assert "19:00</span> Ftour offert" in calendar
    assert "12:00</span> Concours" in calendar
    assert "post-state-scheduled" in calendar and "post-state-changes_requested" in calendar
