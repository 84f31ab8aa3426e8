"""The portal's pages as a client approver, a client viewer and a team member see them: what
waits, what goes out, what went out with its figures, crises and e-reputation, the history,
the calendar and the person's own activity; only their brands, never the team's notes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agency.services.audit import audit_record
from agency.tenancy import tenant_scope
from campaigns.models import PostVariant
from campaigns.tests.factories import PostCommentFactory
from clients.tests.factories import BrandFactory
from portal.tests.conftest import add_metric
from reputation.tests.factories import CrisisIncidentFactory, MentionRollupFactory

PORTAL_URLS = ["portal:home", "portal:history", "portal:calendar", "portal:activity"]


def _get(client, name, **params):
    return client.get(reverse(name), params, HTTP_ACCEPT_LANGUAGE="en")


def test_a_client_approver_lands_on_the_portal_not_the_dashboard(client_of_a, login):
    response = login(client_of_a).get(reverse("dashboard:overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_a_client_viewer_lands_on_the_portal_too(viewer_of_a, login):
    response = login(viewer_of_a).get(reverse("dashboard:overview"))
    assert response["Location"] == reverse("portal:home")


def test_the_team_keeps_the_dashboard_and_previews_the_portal(member_of_a, login):
    client = login(member_of_a)
    assert client.get(reverse("dashboard:overview")).status_code == 200
    response = _get(client, "portal:home")
    assert response.status_code == 200
    assert "Preview: what your clients see" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in PORTAL_URLS:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_person_without_an_agency_is_not_let_in(outsider, login):
    response = _get(login(outsider), "portal:home")
    assert response.status_code == 403


def test_home_shows_what_waits_what_goes_out_and_what_went_out_with_its_first_figures(
    client_of_a, brand_a, make_post, login
):
    make_post(brand_a, "in_review", review_stage="client", text="Attend le client")
    make_post(brand_a, "scheduled", text="Part jeudi", hours=48)
    make_post(brand_a, "scheduled", text="Part dans un mois", hours=24 * 30)
    published = make_post(brand_a, "published", text="Parti hier", hours=-24, published=True)
    variant = PostVariant.unscoped.get(post=published)
    add_metric(variant, "reach", 1234)
    add_metric(variant, "likes", 56)

    response = _get(login(client_of_a), "portal:home")
    body = response.content.decode()
    assert response.status_code == 200
    assert [p.text for p in response.context["awaiting"]] == ["Attend le client"]
    assert [p.text for p in response.context["going_out"]] == ["Part jeudi"]
    assert "Part dans un mois" not in body
    assert "Parti hier" in body and "1234" in body and "56" in body
    assert response.context["recent"][0].metrics["impressions"] is None  # shown as a dash


def test_drafts_internal_reviews_and_cancelled_posts_stay_on_the_teams_side(
    client_of_a, brand_a, make_post, login
):
    make_post(brand_a, "draft", text="Brouillon de l'équipe")
    make_post(brand_a, "in_review", review_stage="internal", text="Relecture interne")
    make_post(brand_a, "changes_requested", text="En reprise")
    make_post(brand_a, "cancelled", text="Annulée")
    client = login(client_of_a)
    for name in ("portal:home", "portal:calendar"):
        body = _get(client, name).content.decode()
        for text in ("Brouillon de l", "Relecture interne", "En reprise", "Annulée"):
            assert text not in body, (name, text)


def test_a_client_sees_only_their_brands_everywhere_in_the_portal(
    client_of_a, agency_a, brand_a, make_post, login
):
    other = BrandFactory(agency=agency_a, name="Marque Secrète")
    make_post(other, "in_review", review_stage="client", text="Secret en attente")
    make_post(other, "scheduled", text="Secret planifié", hours=30)
    make_post(other, "published", text="Secret publié", hours=-5, published=True)
    CrisisIncidentFactory(agency=agency_a, brand=other)
    MentionRollupFactory(agency=agency_a, brand=other)
    client = login(client_of_a)
    for name in PORTAL_URLS:
        body = _get(client, name).content.decode()
        for marker in ("Marque Secrète", "Secret en attente", "Secret planifié", "Secret publié"):
            assert marker not in body, (name, marker)
    # Naming the other brand in the filter shows all of theirs, not the other brand.
    response = _get(client, "portal:history", brand=other.pk)
    assert response.context["brand_id"] is None
    assert "Secret publié" not in response.content.decode()


def test_home_shows_the_open_crises_and_the_e_reputation_trend_of_their_brands(
    client_of_a, agency_a, brand_a, login
):
    CrisisIncidentFactory(agency=agency_a, brand=brand_a, severity="critical", mention_count=42)
    CrisisIncidentFactory(agency=agency_a, brand=brand_a, state="resolved", cause="volume")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for days_ago, sentiment in ((3, -2.0), (2, 0.0), (1, 3.0)):
        MentionRollupFactory(
            agency=agency_a,
            brand=brand_a,
            hour=now - dt.timedelta(days=days_ago),
            sentiment_sum=sentiment,
        )
    response = _get(login(client_of_a), "portal:home")
    body = response.content.decode()
    assert [i.severity for i in response.context["incidents"]] == ["critical"]
    assert "42 mentions" in body
    (trend,) = response.context["trends"]
    assert len(trend.days) == 3 and trend.change is not None and trend.change > 0
    assert "<polyline" in body


def test_the_teams_internal_comments_and_crisis_notes_never_reach_the_portal(
    client_of_a, viewer_of_a, agency_a, brand_a, make_post, login
):
    post = make_post(brand_a, "in_review", review_stage="client", text="À valider")
    PostCommentFactory(agency=agency_a, post=post, body="NOTE INTERNE marge", visibility="internal")
    incident = CrisisIncidentFactory(agency=agency_a, brand=brand_a)
    from reputation.tests.factories import IncidentEventFactory

    IncidentEventFactory(agency=agency_a, incident=incident, text="NOTE INTERNE crise")
    for person in (client_of_a, viewer_of_a):
        client = login(person)
        for name in PORTAL_URLS:
            assert "NOTE INTERNE" not in _get(client, name).content.decode(), (person, name)


def test_a_viewer_is_offered_no_decision_and_the_portal_takes_no_writes(
    viewer_of_a, brand_a, make_post, login
):
    make_post(brand_a, "in_review", review_stage="client", text="En attente")
    client = login(viewer_of_a)
    response = _get(client, "portal:home")
    body = response.content.decode()
    assert "Your approver decides on these" in body
    assert ">Decide<" not in body
    for name in PORTAL_URLS:
        assert client.post(reverse(name)).status_code == 405


def test_an_approver_is_offered_to_decide(client_of_a, brand_a, make_post, login):
    make_post(brand_a, "in_review", review_stage="client")
    response = _get(login(client_of_a), "portal:home")
    assert response.context["approvals_url"]
    assert ">Decide<" in response.content.decode()


def test_empty_portal_says_so_on_every_page(client_of_a, login):
    client = login(client_of_a)
    home = _get(client, "portal:home").content.decode()
    for text in (
        "Nothing waits for your decision.",
        "Nothing is planned for the next 7 days.",
        "Nothing was published in the last 14 days.",
        "No open crisis.",
    ):
        assert text in home
    assert "Nothing has been published yet." in _get(client, "portal:history").content.decode()
    assert "Nothing is planned in this period." in _get(client, "portal:calendar").content.decode()
    activity = _get(client, "portal:activity").content.decode()
    assert "You have not done anything here yet." in activity


def test_history_is_paginated_newest_first(client_of_a, brand_a, make_post, login):
    for i in range(27):
        make_post(brand_a, "published", text=f"Numéro {i}", hours=-(i + 1), published=True)
    client = login(client_of_a)
    first = _get(client, "portal:history")
    assert [item.variant.post.text for item in first.context["items"]][:2] == [
        "Numéro 0",
        "Numéro 1",
    ]
    assert len(first.context["items"]) == 25
    second = _get(client, "portal:history", page=2)
    assert [item.variant.post.text for item in second.context["items"]] == [
        "Numéro 25",
        "Numéro 26",
    ]


def test_the_calendar_shows_the_months_posts_read_only(client_of_a, brand_a, make_post, login):
    post = make_post(brand_a, "scheduled", text="Au calendrier", hours=2)
    day = post.local_scheduled_at.date()
    response = _get(login(client_of_a), "portal:calendar", day=day.isoformat(), view="week")
    body = response.content.decode()
    assert "Au calendrier" in body
    assert "reschedule" not in body and "draggable" not in body
    assert _get(login(client_of_a), "portal:calendar", day="not-a-day").status_code == 200


def test_activity_lists_the_persons_own_actions_only(
    client_of_a, member_of_a, brand_a, make_post, login
):
    post = make_post(brand_a, "approved")
    with tenant_scope(brand_a.agency_id):
        audit_record(agency=brand_a.agency, actor=client_of_a, verb="post.approved", target=post)
        audit_record(agency=brand_a.agency, actor=member_of_a, verb="post.edited", target=post)
    response = _get(login(client_of_a), "portal:activity")
    assert [e.verb for e in response.context["page"]] == ["post.approved"]
    assert "You approved a post" in response.content.decode()


@pytest.mark.parametrize(("language", "text"), [("fr", "Accueil"), ("en", "Home")])
def test_the_portal_speaks_french_and_english(client_of_a, login, language, text):
    client = login(client_of_a)
    client.post(reverse("set_language"), {"language": language, "next": reverse("portal:home")})
    assert f">{text}<" in client.get(reverse("portal:home")).content.decode()
