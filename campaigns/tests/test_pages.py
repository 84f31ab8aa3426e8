"""Every dashboard page of campaigns renders for the people who use it, and refuses the rest."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Idea, Post, PostState
from campaigns.tests.factories import CampaignFactory, IdeaFactory, PostFactory, PostVariantFactory
from clients.tests.factories import PersonaFactory, SocialAccountFactory


@pytest.fixture
def content(agency_a, brand_a):
    campaign = CampaignFactory(agency=agency_a, brand=brand_a, name="Ramadan Karim")
    post = PostFactory(
        agency=agency_a,
        brand=brand_a,
        campaign=campaign,
        title="Ftour",
        scheduled_at=dt.datetime(2030, 3, 1, 18, tzinfo=dt.UTC),
    )
    PostVariantFactory(
        agency=agency_a,
        post=post,
        social_account=SocialAccountFactory(agency=agency_a, brand=brand_a),
    )
    idea = IdeaFactory(agency=agency_a, brand=brand_a, title="Débat : thé ou café ?")
    return campaign, post, idea


def _pages(campaign, post, brand):
    return [
        reverse("campaigns:calendar"),
        reverse("campaigns:calendar") + "?view=week&day=2030-03-01",
        reverse("campaigns:calendar") + "?view=list&day=2030-02-25",
        reverse("campaigns:campaign_list"),
        reverse("campaigns:campaign_detail", kwargs={"campaign_id": campaign.pk}),
        reverse("campaigns:post_detail", kwargs={"post_id": post.pk}),
        reverse("campaigns:approvals"),
        reverse("campaigns:media_library"),
    ]


def test_every_page_renders_for_a_community_manager(content, brand_a, member_of_a, login):
    campaign, post, _idea = content
    client = login(member_of_a)
    pages = _pages(campaign, post, brand_a) + [
        reverse("campaigns:campaign_create"),
        reverse("campaigns:campaign_edit", kwargs={"campaign_id": campaign.pk}),
        reverse("campaigns:post_create"),
        reverse("campaigns:post_edit", kwargs={"post_id": post.pk}),
        reverse("campaigns:post_import"),
        reverse("campaigns:brand_publishing", kwargs={"brand_id": brand_a.pk}),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(reverse("campaigns:calendar") + "?day=2030-03-01").content.decode()
    assert "Ftour" in body and 'draggable="true"' in body


def test_a_client_viewer_reads_but_cannot_write(content, agency_a, brand_a, member_factory, login):
    from agency.models import Role
    from agency.tests.factories import BrandAccessFactory

    viewer = member_factory(agency_a, Role.CLIENT_VIEWER)
    BrandAccessFactory(membership=viewer, agency=agency_a, brand=brand_a)
    campaign, post, _idea = content
    client = login(viewer)
    for url in _pages(campaign, post, brand_a):
        assert client.get(url).status_code == 200, url
    assert (
        'draggable="true"'
        not in client.get(reverse("campaigns:calendar") + "?day=2030-03-01").content.decode()
    )
    assert client.get(reverse("campaigns:post_create")).status_code == 403
    assert (
        client.post(reverse("campaigns:post_cancel", kwargs={"post_id": post.pk})).status_code
        == 403
    )
    assert Post.unscoped.get(pk=post.pk).state == PostState.DRAFT


def test_a_campaign_is_created_from_the_form(agency_a, brand_a, member_of_a, login, in_agency):
    persona = PersonaFactory(agency=agency_a, brand=brand_a)
    response = login(member_of_a).post(
        reverse("campaigns:campaign_create"),
        {
            "brand": brand_a.pk,
            "name": "Parrainage",
            "objective": "community_recruitment",
            "recruitment_channel": "referral",
            "starts_on": "2030-01-01",
            "ends_on": "2030-02-01",
            "budget": "2500",
            "currency": "mad",
            "status": "planned",
            "tags": "ramadan, fidélité",
            "personas": [persona.pk],
            "kpi_reach": "10000",
            "kpi_engagement_rate": "4.5",
            "utm_enabled": "on",
            "utm_source": "{network}",
            "utm_medium": "social",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.unscoped.get(name="Parrainage")
    assert (str(campaign.budget), campaign.currency) == ("2500.00", "MAD")
    assert campaign.kpi_targets == {"reach": 10000, "engagement_rate": 4.5}
    assert campaign.tags == ["ramadan", "fidélité"]
    with in_agency(agency_a):
        assert list(campaign.personas.all()) == [persona]


def test_ideas_are_added_and_turned_into_posts(brand_a, member_of_a, login):
    client = login(member_of_a)
    client.post(
        reverse("campaigns:idea_create"),
        {"brand": brand_a.pk, "kind": "ugc", "title": "Vos photos de ftour"},
    )
    idea = Idea.unscoped.get()
    response = client.post(reverse("campaigns:idea_convert", kwargs={"idea_id": idea.pk}))
    post = Post.unscoped.get()
    assert response["Location"] == reverse("campaigns:post_edit", kwargs={"post_id": post.pk})
    assert post.title == "Vos photos de ftour"


def test_the_post_page_actions_follow_the_state_machine(content, member_of_a, en_login):
    _campaign, post, _idea = content
    client = en_login(member_of_a)
    client.post(reverse("campaigns:post_submit", kwargs={"post_id": post.pk}))
    assert Post.unscoped.get(pk=post.pk).state == PostState.IN_REVIEW
    client.post(reverse("campaigns:post_withdraw", kwargs={"post_id": post.pk}))
    client.post(reverse("campaigns:post_cancel", kwargs={"post_id": post.pk}))
    assert Post.unscoped.get(pk=post.pk).state == PostState.CANCELLED
    response = client.post(
        reverse("campaigns:post_schedule", kwargs={"post_id": post.pk}), follow=True
    )
    assert "Only an approved post can be scheduled." in response.content.decode()


def test_the_sidebar_leads_to_the_calendar_and_campaigns(member_of_a, login):
    body = login(member_of_a).get(reverse("dashboard:overview")).content.decode()
    assert reverse("campaigns:calendar") in body and reverse("campaigns:campaign_list") in body


def test_a_post_action_confirms_in_the_language_of_the_person(
    content, member_of_a, login, en_login
):
    # The confirmations were translated once, in whichever language was active when the module
    # was first imported: one of these two people read the other's language.
    _campaign, post, _idea = content
    submit = reverse("campaigns:post_submit", kwargs={"post_id": post.pk})
    withdraw = reverse("campaigns:post_withdraw", kwargs={"post_id": post.pk})
    french = login(member_of_a).post(submit, HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert "La publication est envoyée en validation." in french.content.decode()
    login(member_of_a).post(withdraw)
    english = en_login(member_of_a).post(submit, follow=True)
    assert "The post is sent for approval." in english.content.decode()
