"""Instagram private messages read by the poll of the brand's account, through the Facebook
Page it is linked to (GET /{page-id}/conversations?platform=instagram with the Page token,
shaped like the Conversations API's answer: participants and senders with ``id`` and
``username``): one direct-message conversation per person, stored once however often it is
read, the same message as the one the messaging webhook pushes. An account connected before
the Page token was kept reads its comments, and its messages once its token is refreshed."""

import datetime as dt

import httpx
import pytest
import respx
from django.utils import timezone

from agency.tenancy import tenant_scope
from clients.models import SocialAccount
from clients.services.token_refresh import social_account_refresh
from clients.tests.factories import SocialAccountFactory
from engagement.models import Conversation, Message
from engagement.tests.meta_deliveries import meta_settings_fixture, post  # noqa: F401
from reputation.models.mentions import Mention
from reputation.services.polling import source_poll
from reputation.tests.factories import SourceFactory

IG = "17841405822304914"
LINKED_PAGE = "1041"
CONVERSATIONS = rf"https://graph\.facebook\.com/v[\d.]+/{LINKED_PAGE}/conversations"


@pytest.fixture(name="network_apps_for_meta")
def network_apps_for_meta_fixture(settings):
    """Facebook Login configured (the token refresh needs the app's id and secret)."""
    settings.SOCIAL_APPS = {
        "facebook": ("fb-app-id", "fb-app-secret"),
        "instagram": ("fb-app-id", "fb-app-secret"),
    }


def _ig_conversations():
    return {
        "data": [
            {
                "id": "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6MTc4",
                "updated_time": "2025-11-20T10:05:00+0000",
                "participants": {
                    "data": [
                        {"username": "salma.benali", "id": "6830001"},
                        {"username": "cafe.tanger", "id": IG},
                    ]
                },
                "messages": {
                    "data": [
                        {
                            "id": "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3",
                            "message": "Merci, on passe vous voir",
                            "from": {"username": "cafe.tanger", "id": IG},
                            "created_time": "2025-11-20T10:05:00+0000",
                        },
                        {
                            "id": "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE2",
                            "message": "Vous êtes ouverts dimanche ?",
                            "from": {"username": "salma.benali", "id": "6830001"},
                            "created_time": "2025-11-20T10:00:00+0000",
                        },
                    ]
                },
            },
            {
                "id": "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6MTc5",
                "updated_time": "2025-11-20T09:00:00+0000",
                "participants": {
                    "data": [
                        {"username": "youssef.k", "id": "6830002"},
                        {"username": "cafe.tanger", "id": IG},
                    ]
                },
                "messages": {
                    "data": [
                        {
                            "id": "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE1",
                            "message": "",  # a shared post or a photo: no text
                            "from": {"username": "youssef.k", "id": "6830002"},
                            "created_time": "2025-11-20T09:00:00+0000",
                        }
                    ]
                },
            },
        ],
        "paging": {"cursors": {"after": "QVFIU"}},
    }


def _instagram(agency, brand, **fields):
    account = SocialAccountFactory(
        agency=agency, brand=brand, network="instagram", external_id=IG, handle="@cafe.tanger",
        instance_url="", refresh_token="", **fields,
    )  # fmt: skip
    source = SourceFactory(
        agency=agency, kind="owned_comments", brand=brand, network="instagram", url="",
        last_success_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    return account, source


def _no_other_media(mock):
    """The account's media (GET /{ig-user-id}/media) list nothing besides ours."""
    mock.get(url__regex=r"https://graph\.facebook\.com/v[\d.]+/\d+/media(\?|$)").respond(
        200, json={"data": [], "paging": {}}
    )


def _poll(source, agency):
    with tenant_scope(agency):
        outcome = source_poll(source=source)
    assert outcome.status == "ok", outcome.error


def test_instagram_conversations_are_read_through_the_linked_page_and_stored_once(
    agency_a, brand_a
):
    _account, source = _instagram(
        agency_a, brand_a, linked_page_id=LINKED_PAGE, linked_page_token="EAAPage2"
    )
    with respx.mock(assert_all_called=True) as mock:
        _no_other_media(mock)
        route = mock.get(url__regex=CONVERSATIONS).mock(
            return_value=httpx.Response(200, json=_ig_conversations())
        )
        _poll(source, agency_a)
        source.refresh_from_db()
        source.cursor = ""  # read everything again, as a first read would
        source.save()
        _poll(source, agency_a)
    params = route.calls.last.request.url.params
    assert params["platform"] == "instagram" and params["access_token"] == "EAAPage2"

    conversations = {c.thread_key: c for c in Conversation.unscoped.filter(agency=agency_a)}
    assert set(conversations) == {"dm:6830001", "dm:6830002"}
    thread = conversations["dm:6830001"]
    assert thread.kind == "direct_message" and thread.message_count == 2
    assert thread.network == "instagram"
    messages = {m.text: m for m in Message.unscoped.filter(conversation=thread)}
    asked = messages["Vous êtes ouverts dimanche ?"]
    assert asked.direction == "in" and asked.author_handle == "salma.benali"
    assert asked.sent_at == dt.datetime(2025, 11, 20, 10, tzinfo=dt.UTC)
    assert messages["Merci, on passe vous voir"].direction == "out"  # the brand's answer
    assert Message.unscoped.get(conversation=conversations["dm:6830002"]).text == "[attachment]"
    assert Message.unscoped.filter(agency=agency_a).count() == 3
    assert Mention.unscoped.filter(agency=agency_a).count() == 0  # private: not listening


def test_a_message_pushed_by_the_webhook_then_polled_is_one_message(
    client, agency_a, brand_a, eager_tasks, django_capture_on_commit_callbacks
):
    _account, source = _instagram(
        agency_a, brand_a, linked_page_id=LINKED_PAGE, linked_page_token="EAAPage2"
    )
    pushed = {
        "object": "instagram",
        "entry": [{"id": IG, "time": 1763632800000, "messaging": [{
            "sender": {"id": "6830001"}, "recipient": {"id": IG}, "timestamp": 1763632800000,
            "message": {"mid": "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE2",
                        "text": "Vous êtes ouverts dimanche ?"}}]}],
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, pushed).status_code == 200
    with respx.mock() as mock:
        _no_other_media(mock)
        mock.get(url__regex=CONVERSATIONS).mock(
            return_value=httpx.Response(200, json=_ig_conversations())
        )
        _poll(source, agency_a)
    thread = Conversation.unscoped.get(agency=agency_a, thread_key="dm:6830001")
    assert thread.message_count == 2  # the pushed question once, and the brand's answer


def test_an_account_without_its_linked_page_reads_comments_until_its_token_is_refreshed(
    agency_a, brand_a, network_apps_for_meta
):
    account, source = _instagram(agency_a, brand_a)
    with respx.mock(assert_all_called=False) as mock:
        _no_other_media(mock)
        conversations = mock.get(url__regex=CONVERSATIONS).mock(
            return_value=httpx.Response(200, json=_ig_conversations())
        )
        _poll(source, agency_a)  # no Page token: the poll goes on without messages
        assert not conversations.called
        mock.get(url__regex=r"https://graph\.facebook\.com/v[\d.]+/oauth/access_token").mock(
            return_value=httpx.Response(
                200,
                json={
                    "access_token": "EAALongLivedUser",
                    "token_type": "bearer",
                    "expires_in": 5183944,
                },
            )  # fmt: skip
        )
        mock.get(url__regex=r"https://graph\.facebook\.com/v[\d.]+/me/accounts").mock(
            return_value=httpx.Response(
                200,
                json={
                    "data": [
                        {
                            "id": LINKED_PAGE,
                            "name": "Café Tanger",
                            "access_token": "EAAPage2",
                            "instagram_business_account": {"id": IG},
                        }
                    ]
                },
            )  # fmt: skip
        )
        with tenant_scope(agency_a):
            assert social_account_refresh(social_account_id=account.pk, force=True) == ("refreshed")
        refreshed = SocialAccount.unscoped.get(pk=account.pk)
        assert refreshed.linked_page_id == LINKED_PAGE
        assert refreshed.linked_page_token == "EAAPage2"
        _poll(source, agency_a)
    assert Message.unscoped.filter(agency=agency_a).count() == 3
