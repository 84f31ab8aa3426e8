"""The approvals page of the agency's team also lists, in its own section, the posts waiting
for the client (approved internally, the client's decision pending): for whom and since when
(issue 17: a community manager read "nothing waits" while posts waited for the client)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agency.models import User
from campaigns.models import PostState
from campaigns.services.workflow import post_approve, post_submit
from campaigns.tests.factories import PostFactory, ShareLinkFactory
from clients.tests.factories import BrandFactory

pytestmark = pytest.mark.usefixtures("en")


@pytest.fixture
def awaiting_client(draft, member_of_a, owner_of_a, client_mode, in_agency):
    """The composed post, approved internally: it waits for the client."""
    with in_agency(draft.agency_id):
        post = post_submit(actor=member_of_a, post=draft)
        return post_approve(actor=owner_of_a, post=post)


def _approvals(client) -> str:
    return client.get(reverse("campaigns:approvals")).content.decode()


def test_a_community_manager_sees_the_posts_waiting_for_the_client_with_whom_and_since_when(
    awaiting_client, client_of_a, member_of_a, en_login
):
    User.objects.filter(pk=client_of_a.user_id).update(full_name="Salma Bennani")
    page = _approvals(en_login(member_of_a))
    assert "Nothing waits for you." in page  # a community manager decides nothing here
    section = page[page.index('id="waiting-for-the-client"') :]
    assert "Waiting for the client" in section
    assert awaiting_client.title in section
    assert "Salma Bennani" in section and client_of_a.user.email not in section
    since = awaiting_client.awaiting_since.isoformat()
    assert f'datetime="{since}"' in section


def test_the_section_names_the_approval_link_when_no_client_account_approves(
    agency_a, member_of_a, en_login, in_agency
):
    brand = BrandFactory(agency=agency_a, name="Dar Chaï")
    with in_agency(agency_a.pk):
        ShareLinkFactory(agency=agency_a, brand=brand, label="Direction marketing")
        ShareLinkFactory(
            agency=agency_a, brand=brand, label="Ancien lien", revoked_at=timezone.now()
        )
    PostFactory(
        agency=agency_a,
        brand=brand,
        state=PostState.IN_REVIEW,
        review_stage="client",
        title="Ftour chez Dar Chaï",
        awaiting_since=timezone.now() - dt.timedelta(days=2),
    )
    section = _approvals(en_login(member_of_a))
    section = section[section.index('id="waiting-for-the-client"') :]
    assert "Ftour chez Dar Chaï" in section
    assert "Direction marketing" in section and "Ancien lien" not in section
    assert "waiting for 2\xa0days" in section


def test_posts_still_in_internal_review_are_not_said_to_wait_for_the_client(
    draft, member_of_a, client_mode, en_login, in_agency
):
    with in_agency(draft.agency_id):
        post_submit(actor=member_of_a, post=draft)
    page = _approvals(en_login(member_of_a))
    assert 'id="waiting-for-the-client"' not in page


def test_a_client_sees_its_posts_to_decide_not_a_waiting_for_the_client_section(
    awaiting_client, client_of_a, en_login
):
    page = _approvals(en_login(client_of_a))
    assert awaiting_client.title in page
    assert 'id="waiting-for-the-client"' not in page


def test_the_section_shows_no_post_of_another_agency(
    awaiting_client, agency_b, brand_b, member_of_a, en_login
):
    PostFactory(
        agency=agency_b,
        brand=brand_b,
        state=PostState.IN_REVIEW,
        review_stage="client",
        title="Publication de Bahia",
    )
    page = _approvals(en_login(member_of_a))
    assert awaiting_client.title in page and "Publication de Bahia" not in page
