"""Reviews of a Google Business Profile location reach the inbox: the owned-comments poll reads
the comments said on the account itself (networks capability ``read_account_comments``) with
its posts' comments, and a comment with a rating becomes a review conversation, the owner's
reply in it. Google is faked by respx with its documented Review entity."""

import json

import pytest
import respx

from agency.tenancy import tenant_scope
from clients.tests.factories import SocialAccountFactory
from engagement.models import Conversation, Message
from reputation.models.mentions import Mention
from reputation.services.polling import source_poll
from reputation.tests.factories import SourceFactory

LOCATION = "accounts/108261983375230571234/locations/4511237863512908765"
V4 = "https://mybusiness.googleapis.com/v4"
FIXTURES = "networks/tests/fixtures"


def _payload(name):
    with open(f"{FIXTURES}/{name}", encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture
def location(agency_a, brand_a):
    account = SocialAccountFactory(
        agency=agency_a,
        brand=brand_a,
        network="google_business",
        external_id=LOCATION,
        handle="12 rue Ibnou Mounir, Casablanca",
    )
    source = SourceFactory(
        agency=agency_a, kind="owned_comments", brand=brand_a, network="google_business", url=""
    )
    return account, source


def _poll(source, agency):
    with respx.mock(assert_all_called=False) as mock:
        # The first page of the location's reviews, as the last one (no nextPageToken).
        page = {"reviews": _payload("google_business_reviews.json")["reviews"]}
        reviews = mock.get(f"{V4}/{LOCATION}/reviews").respond(200, json=page)
        mock.get(f"{V4}/{LOCATION}/localPosts").respond(200, json={})
        with tenant_scope(agency):
            outcome = source_poll(source=source)
            source.refresh_from_db()
    assert outcome.status == "ok", outcome.error
    return reviews


def test_a_locations_reviews_become_review_conversations_with_the_owners_reply(agency_a, location):
    account, source = location
    _poll(source, agency_a)

    slow = Conversation.unscoped.get(agency=agency_a, thread_key=f"{LOCATION}/reviews/AbFvOqmQ1")
    assert slow.kind == "review" and slow.network == "google_business"
    assert slow.post_external_id == LOCATION and slow.author_label == "Youssef El Amrani"
    message = Message.unscoped.get(conversation=slow)
    assert message.raw["rating"] == 2 and message.direction == "in"

    answered = Conversation.unscoped.get(
        agency=agency_a, thread_key=f"{LOCATION}/reviews/AbFvOqkZ2"
    )
    thread = {
        m.external_id.rsplit("/", 1)[1]: m for m in Message.unscoped.filter(conversation=answered)
    }
    assert thread["AbFvOqkZ2"].text == "★★★★★"
    assert thread["reply"].direction == "out" and thread["reply"].kind == "reply"
    assert thread["reply"].parent_id == thread["AbFvOqkZ2"].pk
    # Reviews are what is said about the brand: listening keeps them too.
    assert Mention.unscoped.filter(agency=agency_a, source=source).count() == 3


def test_the_next_poll_asks_only_for_reviews_since_the_newest_read(agency_a, location):
    _account, source = location
    _poll(source, agency_a)
    assert source.cursor.startswith("2026-12-05T08:12:44")

    _poll(source, agency_a)

    assert Message.unscoped.filter(agency=agency_a).count() == 3  # nothing stored twice


def test_a_reply_to_a_review_from_the_inbox_is_put_once_and_joins_the_review(
    agency_a, location, member_of_a
):
    from engagement.models import ActionState, Direction
    from engagement.services import outbox
    from engagement.services.actions import action_request, seen_marker

    _account, source = location
    _poll(source, agency_a)
    review = f"{LOCATION}/reviews/AbFvOqmQ1"
    conversation = Conversation.unscoped.get(agency=agency_a, thread_key=review)
    with respx.mock(assert_all_called=False) as mock:
        put = mock.put(f"{V4}/{review}/reply").respond(
            200, json=_payload("google_business_review_reply.json")
        )
        with tenant_scope(agency_a):
            action = action_request(
                conversation=conversation,
                kind="reply",
                actor=member_of_a,
                text="Toutes nos excuses Youssef : nous renforçons l'équipe du matin.",
                token="click-1",
                seen=seen_marker(conversation),
            )
            assert outbox.action_send(action_id=action.pk) == "done"
            assert outbox.action_send(action_id=action.pk) == "skipped"
            action.refresh_from_db()
            reply = Message.objects.get(pk=action.message_id)
    assert put.call_count == 1
    assert json.loads(put.calls[0].request.content) == {
        "comment": "Toutes nos excuses Youssef : nous renforçons l'équipe du matin."
    }
    assert action.state == ActionState.DONE and action.external_id == f"{review}/reply"
    assert reply.direction == Direction.OUTBOUND and reply.conversation_id == conversation.pk
