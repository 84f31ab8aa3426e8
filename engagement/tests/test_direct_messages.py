"""X direct messages, Bluesky chat and Mastodon private mentions in the inbox: read by the
owned-comments poll (the one poller), stored once however often they are read, answered
through the outbox as private messages (once per click; a lost answer is looked for at the
network before any resend), and a connection that may not do it says so clearly.

The networks are faked at the transport (respx) with their documented shapes: X's
GET /2/dm_events and POST /2/dm_conversations/:id/messages, Bluesky's chat.bsky.convo.*,
Mastodon's Status and Context."""

import json
from pathlib import Path

import httpx
import pytest
import respx
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from agency.tenancy import tenant_scope
from clients.tests.factories import SocialAccountFactory
from engagement.models import ActionState, Conversation, Message
from engagement.services import outbox
from engagement.services.actions import action_request, seen_marker
from engagement.tests.factories import ConversationFactory, MessageFactory
from networks.tests.test_bluesky_sessions import jwt
from networks.x.adapter import SCOPES as X_SCOPES
from reputation.services.polling import source_poll
from reputation.tests.factories import SourceFactory

FIXTURES = Path(__file__).resolve().parents[2] / "networks" / "tests" / "fixtures"
X_API = "https://api.x.com/2"
PDS = "https://bsky.social/xrpc"
MASTODON = "https://mastodon.social"
ME = "2244994945"
X_THREAD = "944480690-2244994945"
DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
CONVO = "3ku7w6h4vog2d"


def _load(name):
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _x_account(agency, brand, scopes=X_SCOPES):
    account = SocialAccountFactory(
        agency=agency,
        brand=brand,
        network="x",
        external_id=ME,
        handle="@atlasbrand",
        instance_url="",
        scopes=list(scopes),
    )
    source = SourceFactory(agency=agency, kind="owned_comments", brand=brand, network="x", url="")
    return account, source


def _no_own_posts(mock, network):
    """The account's own posts list nothing besides ours (test_external_posts.py reads them)."""
    listing = {
        "x": (
            r"https://api\.x\.com/2/users/[^/]+/tweets",
            {"data": [], "meta": {"result_count": 0}},
        ),
        "bluesky": (r"https://bsky\.social/xrpc/app\.bsky\.feed\.getAuthorFeed", {"feed": []}),
        "mastodon": (r"https://[^/]+/api/v1/accounts/[^/]+/statuses", []),
    }
    url, body = listing[network]
    mock.get(url__regex=url).respond(200, json=body)


def _poll(source, agency):
    with tenant_scope(agency.pk):
        outcome = source_poll(source=source)
        source.refresh_from_db()
    assert outcome.status == "ok", outcome.error
    return outcome


def _x_events(mock):
    return mock.get(f"{X_API}/dm_events").mock(
        side_effect=lambda request: httpx.Response(
            200,
            json=_load(
                "x_dm_events_older.json"
                if request.url.params.get("pagination_token")
                else "x_dm_events.json"
            ),
        )
    )


def _reply(conversation, actor, text, token="click-1"):
    with tenant_scope(conversation.agency_id):
        return action_request(
            conversation=conversation,
            kind="reply",
            actor=actor,
            text=text,
            token=token,
            seen=seen_marker(conversation),
        )


def _send(action):
    with tenant_scope(action.agency_id):
        return outbox.action_send(action_id=action.pk)


def test_x_direct_messages_polled_twice_are_one_conversation_per_thread_stored_once(
    agency_a, brand_a
):
    account, source = _x_account(agency_a, brand_a)
    with respx.mock(assert_all_called=True) as mock:
        _no_own_posts(mock, "x")
        events = _x_events(mock)
        _poll(source, agency_a)
        _poll(source, agency_a)  # read again: nothing doubles
    assert events.call_count == 4  # two pages, twice
    conversations = {c.thread_key: c for c in Conversation.unscoped.filter(agency=agency_a)}
    assert set(conversations) == {f"dm:{X_THREAD}", "dm:17200003-2244994945"}
    thread = conversations[f"dm:{X_THREAD}"]
    assert thread.kind == "direct_message" and thread.network == "x"
    assert thread.message_count == 2
    messages = {m.external_id: m for m in Message.unscoped.filter(conversation=thread)}
    assert messages["1582838499983564806"].direction == "in"
    assert messages["1582838499983564806"].author_handle == "salma_ma"
    assert messages["1582838499983564700"].direction == "out"  # the brand's, sent on X
    assert Message.unscoped.filter(agency=agency_a).count() == 4


def test_an_x_reply_is_sent_once_and_a_lost_answer_is_found_instead_of_resent(
    agency_a, brand_a, member_of_a
):
    account, source = _x_account(agency_a, brand_a)
    sent: list[httpx.Request] = []
    created: list[dict] = []

    def post(request):
        sent.append(request)
        created.append(
            {
                "id": "1582838535115067392",
                "event_type": "MessageCreate",
                "text": json.loads(request.content)["text"],
                "sender_id": ME,
                "dm_conversation_id": X_THREAD,
                "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
            }
        )
        raise httpx.ReadTimeout("no answer", request=request)  # sent; the answer is lost

    with respx.mock(assert_all_called=False) as mock:
        _no_own_posts(mock, "x")
        _x_events(mock)
        _poll(source, agency_a)
        mock.post(f"{X_API}/dm_conversations/{X_THREAD}/messages").mock(side_effect=post)
        lookup = mock.get(f"{X_API}/dm_conversations/{X_THREAD}/dm_events").mock(
            side_effect=lambda request: httpx.Response(200, json={"data": created})
        )
        conversation = Conversation.unscoped.get(thread_key=f"dm:{X_THREAD}")
        action = _reply(conversation, member_of_a, "Nous vérifions, Salma.")
        assert _send(action) == "done"
        assert _send(action) == "skipped"
    assert len(sent) == 1 and lookup.call_count == 1
    assert json.loads(sent[0].content) == {"text": "Nous vérifions, Salma."}
    action.refresh_from_db()
    assert action.state == ActionState.DONE and action.external_id == "1582838535115067392"
    with tenant_scope(agency_a.pk):
        reply = Message.objects.get(pk=action.message_id)
    assert reply.direction == "out" and reply.kind == "direct_message"

    # The poll reads our message back: still one message.
    with respx.mock(assert_all_called=False) as mock:
        _no_own_posts(mock, "x")
        mock.get(f"{X_API}/dm_events").respond(200, json={"data": created, "meta": {}})
        _poll(source, agency_a)
    assert Message.unscoped.filter(external_id="1582838535115067392").count() == 1


def test_an_x_account_connected_without_the_dm_scopes_reads_no_dm_and_says_reconnect(
    agency_a, brand_a, member_of_a, login
):
    old_scopes = [s for s in X_SCOPES if not s.startswith("dm.")]
    account, source = _x_account(agency_a, brand_a, scopes=old_scopes)
    with respx.mock(assert_all_called=False) as mock:
        _no_own_posts(mock, "x")
        events = _x_events(mock)
        _poll(source, agency_a)  # the poll itself is fine (comments are read as before)
    assert events.call_count == 0 and not Message.unscoped.filter(agency=agency_a).exists()

    conversation = ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        social_account=account,
        network="x",
        kind="direct_message",
        thread_key=f"dm:{X_THREAD}",
    )
    MessageFactory(agency=agency_a, conversation=conversation, external_id="1582838499983564806")
    with pytest.raises(ValidationError, match="connected before X's direct-message permissions"):
        _reply(conversation, member_of_a, "Bonjour")
    client = login(member_of_a)
    page = client.get(f"/inbox/{conversation.pk}/").content.decode()
    assert "Reconnectez X @atlasbrand pour répondre" in page  # in the agency's language
    page = client.get(f"/brands/{brand_a.pk}/?tab=accounts").content.decode()
    assert "Les messages privés ne sont ni lus ni répondus" in page
    assert f'href="/brands/{brand_a.pk}/connect/?network=x">Reconnecter</a>' in page
    translation.activate("en")

    # A reply queued before the account lost them is refused before X is asked.
    account.scopes = list(X_SCOPES)
    account.save()
    action = _reply(conversation, member_of_a, "Bonjour")
    account.scopes = old_scopes
    account.save()
    with respx.mock(assert_all_called=False) as mock:
        assert _send(action) == "failed"
        assert not mock.calls
    action.refresh_from_db()
    assert "reconnect it to grant dm.read and dm.write" in action.error


def _bluesky_account(agency, brand, scope="com.atproto.appPassPrivileged"):
    account = SocialAccountFactory(
        agency=agency,
        brand=brand,
        network="bluesky",
        external_id=DID,
        handle="@atlasbrand.bsky.social",
        instance_url="https://bsky.social",
        access_token=jwt(scope=scope, sub=DID, exp=2_000_000_000),
    )
    source = SourceFactory(
        agency=agency, kind="owned_comments", brand=brand, network="bluesky", url=""
    )
    return account, source


def _bluesky_reads(mock):
    mock.get(f"{PDS}/app.bsky.notification.listNotifications").respond(
        200, json={"notifications": []}
    )
    convos = mock.get(f"{PDS}/chat.bsky.convo.listConvos").respond(
        200, json={"convos": _load("bluesky_convos.json")["convos"][:1]}
    )
    messages = mock.get(f"{PDS}/chat.bsky.convo.getMessages").respond(
        200, json=_load("bluesky_messages.json")
    )
    return convos, messages


def test_bluesky_chat_is_polled_into_one_conversation_and_answered_in_it(
    agency_a, brand_a, member_of_a
):
    account, source = _bluesky_account(agency_a, brand_a)
    with respx.mock(assert_all_called=False) as mock:
        _no_own_posts(mock, "bluesky")
        _bluesky_reads(mock)
        _poll(source, agency_a)
        _poll(source, agency_a)
        send = mock.post(f"{PDS}/chat.bsky.convo.sendMessage").respond(
            200,
            json={
                "id": "3lbzkc5nq2s2k",
                "rev": "22222222fuyn4",
                "text": "Nous regardons, Salma.",
                "sender": {"did": DID},
                "sentAt": "2026-11-20T11:00:05.000Z",
            },
        )
        conversation = Conversation.unscoped.get(agency=agency_a)
        assert conversation.thread_key == f"dm:{CONVO}" and conversation.kind == "direct_message"
        assert conversation.message_count == 2  # the deleted message is not one
        action = _reply(conversation, member_of_a, "Nous regardons, Salma.")
        assert _send(action) == "done"
    assert send.call_count == 1
    assert json.loads(send.calls.last.request.content)["convoId"] == CONVO
    assert send.calls.last.request.headers["atproto-proxy"] == "did:web:api.bsky.chat#bsky_chat"


def test_a_bluesky_app_password_without_dm_access_keeps_the_account_and_says_what_to_do(
    agency_a, brand_a, member_of_a
):
    account, source = _bluesky_account(agency_a, brand_a, scope="com.atproto.appPass")
    with respx.mock(assert_all_called=False) as mock:
        _no_own_posts(mock, "bluesky")
        convos, _messages = _bluesky_reads(mock)
        _poll(source, agency_a)  # notifications still read; chat not asked
    assert convos.call_count == 0
    conversation = ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        social_account=account,
        network="bluesky",
        kind="direct_message",
        thread_key=f"dm:{CONVO}",
    )
    MessageFactory(agency=agency_a, conversation=conversation, external_id="3lbzkaj3tqk2k")
    action = _reply(conversation, member_of_a, "Bonjour")
    with respx.mock(assert_all_called=False):
        assert _send(action) == "failed"
    action.refresh_from_db()
    account.refresh_from_db()
    assert 'create a new app password with "Allow access to your direct messages"' in action.error
    assert account.status == "connected"  # not a dead session: nothing to reconnect for


def test_a_reply_to_a_mastodon_private_mention_is_a_direct_status_never_public(
    agency_a, brand_a, member_of_a
):
    account = SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="mastodon", external_id="42", handle="cafetanger"
    )
    conversation = ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        social_account=account,
        kind="direct_message",
        thread_key="113501",
    )
    MessageFactory(
        agency=agency_a,
        conversation=conversation,
        external_id="113501",
        kind="direct_message",
        author_handle="salma@piaille.fr",
    )
    asked = {
        "id": "113501",
        "created_at": "2026-11-20T10:00:00.000Z",
        "visibility": "direct",
        "content": "<p>@cafetanger ma commande 1234 ?</p>",
        "account": {"id": "77", "acct": "salma@piaille.fr", "username": "salma"},
        "mentions": [{"id": "42", "username": "cafetanger", "acct": "cafetanger"}],
    }
    with respx.mock(assert_all_called=False) as mock:
        mock.get(f"{MASTODON}/api/v1/statuses/113501").respond(200, json=asked)
        post = mock.post(f"{MASTODON}/api/v1/statuses").respond(
            200, json={**asked, "id": "113502", "account": {"id": "42", "acct": "cafetanger"}}
        )
        action = _reply(conversation, member_of_a, "Nous regardons.")
        assert _send(action) == "done"
    payload = json.loads(post.calls.last.request.content)
    assert payload["visibility"] == "direct" and payload["in_reply_to_id"] == "113501"
    assert payload["status"].startswith("@salma@piaille.fr Nous regardons.")
    assert post.calls.last.request.headers["Idempotency-Key"] == f"reply-{action.idempotency_key}"

    # Salma answers our private reply: her private mention joins the same conversation.
    source = SourceFactory(
        agency=agency_a, kind="owned_comments", brand=brand_a, network="mastodon", url=""
    )
    follow_up = {
        "id": "34975900",
        "type": "mention",
        "created_at": "2026-11-20T10:10:00.000Z",
        "account": asked["account"],
        "status": {
            **asked,
            "id": "113503",
            "in_reply_to_id": "113502",
            "created_at": "2026-11-20T10:10:00.000Z",
            "content": "<p>@cafetanger merci, c'est arrivé !</p>",
            "url": f"{MASTODON}/@salma/113503",
        },
    }
    with respx.mock(assert_all_called=True) as mock:
        _no_own_posts(mock, "mastodon")
        mock.get(f"{MASTODON}/api/v1/notifications").respond(200, json=[follow_up])
        _poll(source, agency_a)
    conversation.refresh_from_db()
    assert Conversation.unscoped.filter(agency=agency_a).count() == 1
    assert conversation.message_count == 3
    assert Message.unscoped.get(external_id="113503").conversation_id == conversation.pk
