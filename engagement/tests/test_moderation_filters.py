"""The inbox's filters that come with moderation: "has a link", "VIP author" and an abuse label
(a conversation matches when one of its author's messages does), on the page and the API, in
the same number of queries for 5 or 50 conversations."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engagement.models import BrandAuthor, Conversation
from engagement.tests.factories import BrandAuthorFactory, ConversationFactory, MessageFactory

INBOX = reverse("dashboard:inbox")


def _conversation(agency, brand, *, network="instagram", **message):
    conversation = ConversationFactory(
        agency=agency, brand=brand, network=network, social_account__network=network
    )
    MessageFactory(agency=agency, conversation=conversation, **message)
    return conversation


def _listed(client, **params):
    response = client.get(INBOX, params)
    assert response.status_code == 200
    return {c.pk for c in response.context["page"].object_list}


def test_has_a_link_vip_author_and_abuse_filters(agency_a, brand_a, brand_b, member_of_a, login):
    link = _conversation(agency_a, brand_a, has_link=True)
    vip = _conversation(agency_a, brand_a, author_handle="@Salma")
    insult = _conversation(agency_a, brand_a, abuse_labels={"insult": 0.9})
    spam = _conversation(agency_a, brand_a, abuse_labels={"spam": 0.6})
    # The same handle on another network, or the brand's own reply, is not the VIP.
    _conversation(agency_a, brand_a, network="x", author_handle="salma")
    own = _conversation(agency_a, brand_a, author_handle="salma", direction="out", has_link=True)
    BrandAuthorFactory(agency=agency_a, brand=brand_a, network="instagram", handle="salma")
    BrandAuthorFactory(agency=agency_a, brand=brand_a, network="x", handle="salma", list="blocked")
    client = login(member_of_a)
    assert _listed(client, has_link="on") == {link.pk}
    assert _listed(client, vip_author="on") == {vip.pk}
    assert _listed(client, abuse="insult") == {insult.pk}
    assert _listed(client, abuse="any") == {insult.pk, spam.pk}
    assert own.pk not in _listed(client, vip_author="on", has_link="on")


def test_the_filters_through_the_api(agency_a, brand_a, member_of_a, api_as):
    link = _conversation(agency_a, brand_a, has_link=True)
    _conversation(agency_a, brand_a)
    api = api_as(member_of_a)
    found = api.get("/api/v1/conversations/", {"has_link": "true"}).json()["results"]
    assert [c["id"] for c in found] == [link.pk]
    refused = api.get("/api/v1/conversations/", {"abuse": "rude"})
    assert refused.status_code == 400 and "abuse" in refused.json()["error"]["fields"]


def _queries(client, n, agency, brand):
    Conversation.unscoped.filter(agency=agency).delete()
    BrandAuthor.unscoped.filter(agency=agency).delete()
    for i in range(n):
        _conversation(agency, brand, author_handle=f"a{i}", has_link=True, abuse_labels={"spam": 1})
    BrandAuthorFactory(agency=agency, brand=brand, network="instagram", handle="a1")
    params = {"has_link": "on", "abuse": "spam", "vip_author": "on"}
    client.get(INBOX, params)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX, params).status_code == 200
    return len(queries)


def test_the_filtered_inbox_reads_in_the_same_number_of_queries_for_5_or_50(
    agency_a, brand_a, member_of_a, login
):
    client = login(member_of_a)
    assert _queries(client, 5, agency_a, brand_a) == _queries(client, 50, agency_a, brand_a)
