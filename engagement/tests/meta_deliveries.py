"""Meta deliveries shaped like the documented examples (Webhooks for Pages, ``feed`` with
``item: comment``), the Graph API's comment answers for the poll, and the fixtures of the
receiver's tests (test_meta_webhooks*.py)."""

import datetime as dt
import json

import httpx
import pytest
import respx
from django.core.cache import cache
from django.utils import timezone

from agency.tenancy import tenant_scope
from campaigns.tests.factories import PostVariantFactory
from clients.tests.factories import SocialAccountFactory
from networks.meta_webhooks import sign
from reputation.services.polling import source_poll
from reputation.tests.factories import SourceFactory

SECRET = "meta-app-secret"
PAGE = "111222333"
POST = f"{PAGE}_4444"
URL = "/hooks/meta/"
CREATED = 1763632800  # 2025-11-20T10:00:00Z


@pytest.fixture(name="meta_settings", autouse=True)
def meta_settings_fixture(settings):
    settings.META_WEBHOOK_APP_SECRETS = [SECRET]
    settings.META_WEBHOOK_VERIFY_TOKEN = "verify-me"
    cache.clear()  # the replay guard lives in the cache


@pytest.fixture(name="page")
def page_fixture(agency_a, brand_a):
    """A connected Facebook Page with a published post and the brand's inbox source."""
    account = SocialAccountFactory(
        agency=agency_a,
        brand=brand_a,
        network="facebook",
        external_id=PAGE,
        handle="Café Tanger",
        instance_url="",
    )
    PostVariantFactory(
        agency=agency_a,
        post__brand=brand_a,
        social_account=account,
        state="published",
        external_id=POST,
        published_at=timezone.now() - dt.timedelta(days=1),
    )
    source = SourceFactory(
        agency=agency_a,
        kind="owned_comments",
        brand=brand_a,
        network="facebook",
        url="",
        last_success_at=timezone.now() - dt.timedelta(hours=1),
    )
    return account, source


def feed_delivery(comment_id="4444_9001", text="Commande jamais arrivée, service nul", **value):
    # Webhooks for Pages, field "feed", a comment added (documented example shape).
    change = {
        "from": {"id": "55501", "name": "Salma Benali"},
        "post": {"status_type": "added_photos", "is_published": True, "id": POST},
        "message": text,
        "post_id": POST,
        "comment_id": comment_id,
        "created_time": CREATED,
        "item": "comment",
        "parent_id": POST,
        "verb": "add",
        **value,
    }
    return {
        "object": "page",
        "entry": [
            {"id": PAGE, "time": CREATED + 2, "changes": [{"field": "feed", "value": change}]}
        ],
    }


def graph_comments(*comments):
    # GET /{post-id}/comments with fields id,message,from,created_time,parent{id},...
    return {
        "data": [
            {
                "id": cid,
                "message": text,
                "from": {"id": "55501", "name": "Salma Benali"},
                "created_time": "2025-11-20T10:00:00+0000",
                "is_hidden": False,
                "permalink_url": f"https://www.facebook.com/{POST}?comment_id={cid}",
            }
            for cid, text in comments
        ],
        "paging": {"cursors": {"before": "b", "after": "a"}},
    }


def post(client, payload, *, secret=SECRET, body=None, signature=None):
    raw = body if body is not None else json.dumps(payload).encode()
    headers = {}
    if signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    elif secret:
        headers["HTTP_X_HUB_SIGNATURE_256"] = sign(raw, secret)
    return client.post(URL, data=raw, content_type="application/json", **headers)


def graph_conversations(*conversations):
    # GET /{page-id}/conversations?platform=messenger with participants and messages{...}
    return {
        "data": [
            {
                "id": f"t_{person}",
                "updated_time": "2025-11-20T10:05:00+0000",
                "participants": {
                    "data": [
                        {"id": person, "name": "Salma Benali", "email": f"{person}@facebook.com"},
                        {"id": PAGE, "name": "Café Tanger"},
                    ]
                },
                "messages": {
                    "data": [
                        {
                            "id": mid,
                            "message": text,
                            "from": {"id": sender, "name": "Salma Benali"},
                            "created_time": "2025-11-20T10:00:00+0000",
                        }
                        for mid, sender, text in messages
                    ]
                },
            }
            for person, messages in conversations
        ]
    }


def no_other_posts(mock):
    """The Page's own posts list nothing besides what we published (Page Published Posts)."""
    mock.get(url__regex=rf"https://graph\.facebook\.com/v[\d.]+/{PAGE}/published_posts").mock(
        return_value=httpx.Response(200, json={"data": [], "paging": {}})
    )


def poll(source, agency, comments, conversations=()):
    with respx.mock(assert_all_called=True) as mock:
        mock.get(url__regex=rf"https://graph\.facebook\.com/v[\d.]+/{POST}/comments").mock(
            return_value=httpx.Response(200, json=graph_comments(*comments))
        )
        mock.get(url__regex=rf"https://graph\.facebook\.com/v[\d.]+/{PAGE}/conversations").mock(
            return_value=httpx.Response(200, json=graph_conversations(*conversations))
        )
        no_other_posts(mock)
        with tenant_scope(agency):
            outcome = source_poll(source=source)
    assert outcome.status == "ok", outcome.error
