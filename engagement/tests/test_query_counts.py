"""The inbox's lists answer in a number of queries that does not grow with their rows: the
replies awaiting approval (page and API), the moderation rules (page and API), the VIP and
blocked authors (page and API), and the conversation's presence, whose cache is read in one
``get_many`` whatever the number of people viewing."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.models import Role
from agency.tenancy import tenant_scope
from agency.tests.factories import MembershipFactory
from engagement.models import ReplyApproval
from engagement.services.actions import seen_marker
from engagement.services.presence import presence_beat
from engagement.tests.factories import (
    BrandAuthorFactory,
    ConversationFactory,
    InternalNoteFactory,
    LabelFactory,
    MessageFactory,
    ModerationRuleFactory,
    OutboundActionFactory,
    ReplyApprovalFactory,
    SavedReplyFactory,
)

N = 7


def _queries(get) -> int:
    get()  # warm: the session, the content types, the translations
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def _constant(get, add_rows, django_assert_num_queries):
    """Measured with one row, then asserted with N more."""
    one = _queries(get)
    add_rows(N)
    with django_assert_num_queries(one):
        response = get()
    return response


@pytest.fixture
def manager_of_a(agency_a):
    return MembershipFactory(agency=agency_a, role=Role.MANAGER)


def _approvals(agency_a, brand_a, manager_of_a):
    def add(n):
        for _i in range(n):
            approval = ReplyApprovalFactory(
                agency=agency_a,
                conversation__agency=agency_a,
                conversation__brand=brand_a,
                requested_by=manager_of_a.user,
            )
            # Each conversation has more in it: a later message, a note, a sent reply.
            MessageFactory(agency=agency_a, conversation=approval.conversation)
            InternalNoteFactory(agency=agency_a, conversation=approval.conversation)
            OutboundActionFactory(
                agency=agency_a, conversation=approval.conversation, target=approval.target
            )

    return add


def test_the_approvals_page_is_constant_in_queries(
    agency_a, brand_a, manager_of_a, login, django_assert_num_queries
):
    add = _approvals(agency_a, brand_a, manager_of_a)
    add(1)
    client = login(manager_of_a)
    response = _constant(
        lambda: client.get(reverse("dashboard:reply_approvals")), add, django_assert_num_queries
    )
    assert response.content.count(b'name="seen"') == N + 1


def test_the_approvals_page_carries_each_conversations_own_marker(
    agency_a, brand_a, manager_of_a, login
):
    _approvals(agency_a, brand_a, manager_of_a)(3)
    page = login(manager_of_a).get(reverse("dashboard:reply_approvals")).content.decode()
    with tenant_scope(agency_a):
        for approval in ReplyApproval.objects.select_related("conversation"):
            marker = seen_marker(approval.conversation)
            assert f'name="seen" value="{marker}"' in page
            latest = approval.conversation.messages.order_by("-sent_at", "-id").first()
            assert latest.text[:40] in page


def test_the_approvals_api_is_constant_in_queries(
    agency_a, brand_a, manager_of_a, api_as, django_assert_num_queries
):
    add = _approvals(agency_a, brand_a, manager_of_a)
    add(1)
    api = api_as(manager_of_a)
    response = _constant(
        lambda: api.get("/api/v1/reply-approvals/"), add, django_assert_num_queries
    )
    assert len(response.json()["results"]) == N + 1


def _rules(agency_a, brand_a, member):
    def add(n):
        for _i in range(n):
            ModerationRuleFactory(
                agency=agency_a,
                brand=brand_a,
                actions=["assign", "label", "reply", "notify"],
                assignee=member.user,
                notify_user=member.user,
                label=LabelFactory(agency=agency_a),
                saved_reply=SavedReplyFactory(agency=agency_a, brand=brand_a),
            )

    return add


def test_the_rules_page_and_api_are_constant_in_queries(
    agency_a, brand_a, member_of_a, login, api_as, django_assert_num_queries
):
    add = _rules(agency_a, brand_a, member_of_a)
    add(1)
    client = login(member_of_a)
    url = reverse("dashboard:moderation_rules", kwargs={"brand_id": brand_a.pk})
    _constant(lambda: client.get(url), add, django_assert_num_queries)
    api = api_as(member_of_a)
    response = _constant(
        lambda: api.get("/api/v1/moderation-rules/", {"brand": brand_a.pk}),
        add,
        django_assert_num_queries,
    )
    assert len(response.json()["results"]) == 2 * N + 1


def test_the_author_lists_page_and_api_are_constant_in_queries(
    agency_a, brand_a, member_of_a, login, api_as, django_assert_num_queries
):
    def add(n):
        BrandAuthorFactory.create_batch(n, agency=agency_a, brand=brand_a)

    add(1)
    client = login(member_of_a)
    url = reverse("dashboard:moderation_authors", kwargs={"brand_id": brand_a.pk})
    _constant(lambda: client.get(url), add, django_assert_num_queries)
    api = api_as(member_of_a)
    response = _constant(
        lambda: api.get("/api/v1/listed-authors/", {"brand": brand_a.pk}),
        add,
        django_assert_num_queries,
    )
    assert len(response.json()["results"]) == 2 * N + 1


class _CacheReads:
    """Counts the cache's read calls while letting them through to Redis."""

    def __init__(self, monkeypatch):
        self.calls: list[str] = []
        for name in ("get", "get_many"):
            original = getattr(cache, name)

            def counted(*args, _name=name, _original=original, **kwargs):
                self.calls.append(_name)
                return _original(*args, **kwargs)

            monkeypatch.setattr(cache, name, counted)


def test_presence_reads_the_cache_once_and_the_database_in_constant_queries(
    agency_a, brand_a, member_of_a, login, monkeypatch, django_assert_num_queries
):
    conversation = ConversationFactory(agency=agency_a, brand=brand_a)
    url = reverse("dashboard:conversation_presence", kwargs={"conversation_id": conversation.pk})

    def add(n):
        for _i in range(n):
            viewer = MembershipFactory(agency=agency_a, role=Role.COMMUNITY_MANAGER)
            presence_beat(actor=viewer, conversation=conversation, typing=False)

    add(1)
    client = login(member_of_a)
    response = _constant(lambda: client.get(url), add, django_assert_num_queries)
    assert len(response.json()["others"]) == N + 1
    reads = _CacheReads(monkeypatch)
    client.get(url)
    assert reads.calls.count("get_many") == 1
    assert "get" not in reads.calls  # no read per viewer (the session is in the database)
