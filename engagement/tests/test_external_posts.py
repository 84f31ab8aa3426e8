"""Comments on the brand's posts that were not published through us reach the inbox like our
own posts' comments: the owned-comments poll lists the account's recent posts, keeps the ones
the engine did not publish, reads their comments through the same pipeline, and shows the post
in context. Mastodon is faked by respx with its documented Status and Context entities."""

import datetime as dt

import httpx
import pytest
import respx
from django.urls import reverse
from django.utils import timezone

from agency.tenancy import tenant_scope
from campaigns.tests.factories import PostVariantFactory
from clients.tests.factories import SocialAccountFactory
from engagement.models import Conversation, Message
from engagement.tests.factories import ConversationFactory, MessageFactory
from notifications.models import Notification
from reputation.models.account_posts import ExternalPost
from reputation.models.mentions import Mention
from reputation.services import account_posts
from reputation.services.polling import source_poll
from reputation.tests.factories import SourceFactory

BASE = "https://mastodon.social"
OURS = "5001"  # published through us
THEIRS = "7001"  # written on Mastodon itself


def _ago(hours: float) -> str:
    return (timezone.now() - dt.timedelta(hours=hours)).isoformat().replace("+00:00", "Z")


def _status(status_id, text, *, reply_to=None, hours=1.0, replies=0, acct="salma", uid="77"):
    # Shaped like Mastodon's Status entity (docs: entities/Status).
    return {
        "id": status_id,
        "created_at": _ago(hours),
        "in_reply_to_id": reply_to,
        "visibility": "public",
        "url": f"{BASE}/@{acct}/{status_id}",
        "uri": f"{BASE}/users/{acct}/statuses/{status_id}",
        "content": f"<p>{text}</p>",
        "language": "fr",
        "replies_count": replies,
        "reblog": None,
        "account": {
            "id": uid,
            "acct": acct,
            "display_name": acct.title(),
            "url": f"{BASE}/@{acct}",
        },
    }


def _brand_post(status_id, text, *, hours, replies):
    return _status(status_id, text, hours=hours, replies=replies, acct="cafetanger", uid="42")


@pytest.fixture
def owned(agency_a, brand_a):
    account = SocialAccountFactory(
        agency=agency_a, brand=brand_a, network="mastodon", external_id="42", handle="cafetanger"
    )
    variant = PostVariantFactory(
        agency=agency_a,
        post__brand=brand_a,
        social_account=account,
        state="published",
        external_id=OURS,
        published_at=timezone.now() - dt.timedelta(hours=30),
    )
    source = SourceFactory(
        agency=agency_a, kind="owned_comments", brand=brand_a, network="mastodon", url=""
    )
    return account, variant, source


class FakeMastodon:
    """The account's statuses and each post's replies (context), counting the reads."""

    def __init__(self, posts, replies):
        self.posts = posts  # the account's timeline, newest first
        self.replies = replies  # post id -> its descendants
        self.context_reads: dict[str, int] = {}

    def run(self, source, agency, *, listing=None):
        with respx.mock(assert_all_called=False) as mock:
            mock.get(f"{BASE}/api/v1/accounts/42/statuses").mock(
                side_effect=lambda request: listing or httpx.Response(200, json=self.posts)
            )
            mock.get(url__regex=rf"{BASE}/api/v1/statuses/(?P<post>\d+)/context").mock(
                side_effect=self._context
            )
            mock.get(f"{BASE}/api/v1/notifications").mock(return_value=httpx.Response(200, json=[]))
            with tenant_scope(agency):
                outcome = source_poll(source=source)
                source.refresh_from_db()
        assert outcome.status == "ok", outcome.error
        return outcome

    def _context(self, request, post):
        self.context_reads[post] = self.context_reads.get(post, 0) + 1
        return httpx.Response(
            200, json={"ancestors": [], "descendants": self.replies.get(post, [])}
        )


def _timeline():
    return [
        _brand_post(THEIRS, "Notre terrasse rouvre demain", hours=5, replies=2),
        _brand_post(OURS, "Nouveau menu d'hiver", hours=30, replies=1),
    ]


def _replies():
    return {
        THEIRS: [
            _status("7002", "Enfin ! À quelle heure ?", reply_to=THEIRS, hours=4),
            _status("7003", "Dès 8 h", reply_to="7002", hours=3, acct="cafetanger", uid="42"),
        ],
        OURS: [_status("5002", "Le chocolat chaud est top", reply_to=OURS, hours=20)],
    }


def test_comments_on_a_post_not_published_through_us_reach_the_inbox(
    agency_a, owned, member_of_a, login
):
    account, variant, source = owned
    FakeMastodon(_timeline(), _replies()).run(source, agency_a)

    conversation = Conversation.unscoped.get(agency=agency_a, thread_key="7002")
    assert conversation.kind == "comment" and conversation.post_external_id == THEIRS
    assert conversation.post_variant_id is None and conversation.message_count == 2
    thread = {m.external_id: m for m in Message.unscoped.filter(conversation=conversation)}
    assert thread["7003"].direction == "out" and thread["7003"].parent_id == thread["7002"].pk
    post = ExternalPost.unscoped.get(agency=agency_a, social_account=account)
    assert post.external_id == THEIRS and post.text == "Notre terrasse rouvre demain"
    assert post.permalink == f"{BASE}/@cafetanger/{THEIRS}" and post.comments_count == 2
    # Our own post's comment arrives as before, under its variant.
    ours = Conversation.unscoped.get(agency=agency_a, thread_key="5002")
    assert ours.post_variant_id == variant.pk

    # The conversation page shows each post in context, the same way.
    client = login(member_of_a)
    page = client.get(
        reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    assert "Notre terrasse rouvre demain" in page.content.decode()
    assert "not published through us" in page.content.decode()
    assert f'href="{BASE}/@cafetanger/{THEIRS}"' in page.content.decode()
    page = client.get(
        reverse("dashboard:conversation", kwargs={"conversation_id": ours.pk}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "On the post · published through us" in page.content.decode()
    french = client.get(
        reverse("dashboard:conversation", kwargs={"conversation_id": conversation.pk}),
        HTTP_ACCEPT_LANGUAGE="fr",
    ).content.decode()
    assert "Sur la publication · non publiée par nos soins" in french


def test_a_post_published_through_us_is_read_once_and_not_recorded_again(agency_a, owned):
    account, _variant, source = owned
    fake = FakeMastodon(_timeline(), _replies())
    fake.run(source, agency_a)

    assert fake.context_reads == {THEIRS: 1, OURS: 1}
    assert not ExternalPost.unscoped.filter(agency=agency_a, external_id=OURS).exists()
    assert Message.unscoped.filter(agency=agency_a, external_id="5002").count() == 1


def test_a_second_poll_stores_nothing_new(agency_a, owned):
    account, _variant, source = owned
    fake = FakeMastodon(_timeline(), _replies())
    fake.run(source, agency_a)
    counts = (
        Message.unscoped.filter(agency=agency_a).count(),
        Conversation.unscoped.filter(agency=agency_a).count(),
        Mention.unscoped.filter(agency=agency_a).count(),
        ExternalPost.unscoped.filter(agency=agency_a).count(),
    )
    cursor = source.posts_cursor
    assert cursor  # the first listing is done: the next one is not a 30-day backfill

    fake.run(source, agency_a)

    assert (
        counts
        == (
            Message.unscoped.filter(agency=agency_a).count(),
            Conversation.unscoped.filter(agency=agency_a).count(),
            Mention.unscoped.filter(agency=agency_a).count(),
            ExternalPost.unscoped.filter(agency=agency_a).count(),
        )
        == (3, 2, 3, 1)
    )
    assert source.posts_cursor == cursor


def test_the_first_listing_is_a_backfill_that_notifies_nobody(
    agency_a, brand_a, owned, member_of_a
):
    account, _variant, source = owned
    # A source polled for months before posts written on Mastodon were read: its own first
    # read is long over, but the account's posts were never listed. One reply under such a
    # post was already in the inbox (from the notifications), closed, and someone's.
    source.last_success_at = timezone.now() - dt.timedelta(days=90)
    source.save()
    conversation = ConversationFactory(
        agency=agency_a,
        brand=brand_a,
        social_account=account,
        thread_key="7002",
        status="closed",
        assignee=member_of_a.user,
        last_message_at=timezone.now() - dt.timedelta(hours=4),
        last_inbound_at=timezone.now() - dt.timedelta(hours=4),
    )
    MessageFactory(
        agency=agency_a,
        conversation=conversation,
        external_id="7002",
        sent_at=timezone.now() - dt.timedelta(hours=4),
    )
    fake = FakeMastodon(_timeline(), _replies())
    old = _status("7004", "Et le week-end ?", reply_to="7002", hours=3.5)
    fake.replies[THEIRS] = [*_replies()[THEIRS], old]
    fake.run(source, agency_a)

    conversation.refresh_from_db()
    assert conversation.message_count == 3  # 7002, the brand's answer and 7004
    assert conversation.status == "closed"  # history reopens nothing …
    assert not Notification.unscoped.filter(agency=agency_a).exists()  # … and alerts nobody
    assert not ExternalPost.unscoped.get(agency=agency_a, external_id=THEIRS).backfill

    # A new comment afterwards is news: it reopens the conversation and alerts its assignee.
    fake.replies[THEIRS].append(_status("7009", "Toujours fermé ?", reply_to="7002", hours=0.1))
    fake.posts[0]["replies_count"] = 4
    fake.run(source, agency_a)
    conversation.refresh_from_db()
    assert conversation.status == "open" and conversation.message_count == 4
    assert Notification.unscoped.filter(agency=agency_a, recipient=member_of_a.user).count() == 1


def test_comments_are_read_again_for_the_newest_posts_and_those_whose_count_changed(
    agency_a, owned
):
    _account, _variant, source = owned
    older = account_posts.NEWEST_READ + 2
    timeline = [
        _brand_post(str(8000 + n), f"Publication {n}", hours=2 + n, replies=n % 2)
        for n in range(older)
    ]
    fake = FakeMastodon(timeline, {})
    fake.run(source, agency_a)
    # First read: the newest, and the older ones with comments to read.
    first = {str(8000 + n) for n in range(older) if n < account_posts.NEWEST_READ or n % 2}
    assert set(fake.context_reads) - {OURS} == first

    fake.context_reads.clear()
    fake.run(source, agency_a)
    newest = {str(8000 + n) for n in range(account_posts.NEWEST_READ)}
    assert set(fake.context_reads) - {OURS} == newest  # unchanged counts: not read again

    fake.context_reads.clear()
    last = timeline[-1]
    last["replies_count"] += 1
    fake.run(source, agency_a)
    assert set(fake.context_reads) - {OURS} == newest | {last["id"]}


def test_a_refused_listing_still_reads_our_own_posts_comments(agency_a, owned):
    _account, _variant, source = owned
    fake = FakeMastodon(_timeline(), _replies())
    refused = httpx.Response(403, json={"error": "This action is not allowed"})
    fake.run(source, agency_a, listing=refused)

    assert fake.context_reads == {OURS: 1}
    assert Message.unscoped.filter(agency=agency_a, external_id="5002").exists()
    assert source.last_error == "" and source.posts_cursor == ""  # listed again next time
