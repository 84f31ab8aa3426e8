"""Token refresh: the dispatcher, the per-account task, and what each network answer means."""

from datetime import timedelta

import httpx
import pytest
import respx
from django.utils import timezone

from agency.models import Role
from agency.tenancy import tenant_scope
from clients.models import AccountStatus
from clients.services import accounts as account_services
from clients.tasks import dispatch_token_refreshes, refresh_social_account
from clients.tests.conftest import network_payload
from clients.tests.factories import SocialAccountFactory
from notifications.models import Notification

X_TOKEN_URL = "https://api.x.com/2/oauth2/token"
BSKY_REFRESH = "https://bsky.social/xrpc/com.atproto.server.refreshSession"


def _x_account(brand, **kwargs):
    defaults = {
        "agency": brand.agency,
        "brand": brand,
        "network": "x",
        "external_id": "2244994945",
        "handle": "@cafetanger",
        "instance_url": "",
        "access_token": "old-access",
        "refresh_token": "old-refresh",
        "expires_at": timezone.now() + timedelta(hours=1),
    }
    return SocialAccountFactory(**{**defaults, **kwargs})


def _run(account):
    return refresh_social_account.apply(
        kwargs={"agency_id": account.agency_id, "social_account_id": account.pk}
    )


@respx.mock
def test_a_refresh_stores_the_new_tokens(brand_a, network_apps):
    account = _x_account(brand_a)
    route = respx.post(X_TOKEN_URL).mock(
        return_value=httpx.Response(200, json=network_payload("x_token.json"))
    )
    assert _run(account).get() == "refreshed"
    account.refresh_from_db()
    assert account.access_token == "bWRWa3VvSlEx"
    assert account.refresh_token == "bWRWa3VvSlEyNew"
    assert account.expires_at > timezone.now() + timedelta(hours=1, minutes=30)
    sent = route.calls.last.request
    assert b"refresh_token=old-refresh" in sent.content
    assert sent.headers["Authorization"].startswith("Basic ")


@respx.mock
def test_a_refresh_without_a_new_refresh_token_keeps_the_old_one(brand_a, network_apps):
    account = _x_account(brand_a)
    respx.post(X_TOKEN_URL).mock(
        return_value=httpx.Response(
            200, json={"token_type": "bearer", "expires_in": 7200, "access_token": "a2"}
        )
    )
    _run(account)
    account.refresh_from_db()
    assert (account.access_token, account.refresh_token) == ("a2", "old-refresh")


@respx.mock
def test_a_spent_x_refresh_token_means_needs_reconnect_not_a_retry(
    brand_a, network_apps, owner_of_a
):
    account = _x_account(brand_a)
    route = respx.post(X_TOKEN_URL).mock(
        return_value=httpx.Response(
            400,
            json={
                "error": "invalid_request",
                "error_description": "Value passed for the token was invalid.",
            },
        )
    )
    assert _run(account).get() == "needs_reconnect"
    assert route.call_count == 1
    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_RECONNECT
    assert Notification.unscoped.filter(recipient=owner_of_a.user).count() == 1


@respx.mock
def test_an_invalid_grant_means_needs_reconnect(brand_a, network_apps):
    account = _x_account(brand_a, network="linkedin", external_id="urn:li:organization:2414183")
    respx.post("https://www.linkedin.com/oauth/v2/accessToken").mock(
        return_value=httpx.Response(
            400,
            json={
                "error": "invalid_grant",
                "error_description": "The provided authorization grant or refresh token is "
                "invalid, expired or revoked",
            },
        )
    )
    assert _run(account).get() == "needs_reconnect"


@respx.mock
def test_an_expired_session_needs_reconnect_with_exactly_one_notification_across_two_runs(
    brand_a, member_factory, agency_a, member_of_a, in_agency
):
    owner = member_factory(agency_a, Role.OWNER)
    manager = member_factory(agency_a, Role.MANAGER)
    analyst = member_factory(agency_a, Role.ANALYST)
    account = _x_account(
        brand_a,
        network="bluesky",
        external_id="did:plc:z72i7hdynmk6r22z27h6tvur",
        instance_url="https://bsky.social",
        connected_by=member_of_a.user,
    )
    route = respx.post(BSKY_REFRESH).mock(
        return_value=httpx.Response(400, json=network_payload("bluesky_error_expired.json"))
    )

    assert _run(account).get() == "needs_reconnect"
    account.refresh_from_db()
    assert account.status == AccountStatus.NEEDS_RECONNECT
    assert "expired" in account.last_error.lower() and account.last_error_at
    # A second run (a retry, the next beat) changes nothing and notifies nobody again.
    assert _run(account).get() == "skipped"

    assert route.call_count == 1
    notified = set(Notification.unscoped.values_list("recipient_id", flat=True))
    assert notified == {owner.user_id, manager.user_id, member_of_a.user_id}
    assert Notification.unscoped.count() == 3
    assert analyst.user_id not in notified
    with in_agency(agency_a):
        note = Notification.objects.filter(recipient=owner.user).get()
    assert note.url == f"/brands/{brand_a.pk}/?tab=accounts"
    # The stored tokens are kept: reconnecting may still reuse the refresh token.
    assert account.refresh_token == "old-refresh"


@respx.mock
def test_two_failures_in_a_row_notify_once(brand_a, network_apps, owner_of_a):
    account = _x_account(brand_a)
    respx.post(X_TOKEN_URL).mock(
        return_value=httpx.Response(401, json=network_payload("x_error_401.json"))
    )
    _run(account)
    # Even if the account were handed to the service again while still broken (a retry, a
    # dispatcher race), the transition already happened: nobody is told twice.
    with tenant_scope(account.agency_id):
        assert not account_services.social_account_mark_needs_reconnect(
            social_account=account, error="again"
        )
    _run(account)
    assert Notification.unscoped.count() == 1


@respx.mock
def test_a_503_is_retried_and_the_account_stays_connected(brand_a, network_apps):
    account = _x_account(brand_a)
    route = respx.post(X_TOKEN_URL).mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(503),
            httpx.Response(200, json=network_payload("x_token.json")),
        ]
    )
    result = _run(account)
    assert result.get() == "refreshed"
    assert route.call_count == 3
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    assert account.access_token == "bWRWa3VvSlEx"


@respx.mock
def test_a_network_that_keeps_failing_never_marks_the_token_dead(brand_a, network_apps):
    account = _x_account(brand_a)
    route = respx.post(X_TOKEN_URL).mock(return_value=httpx.Response(503))
    result = _run(account)
    assert result.failed()
    assert route.call_count == refresh_social_account.max_retries + 1
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    assert account.access_token == "old-access"
    assert not Notification.unscoped.exists()


@respx.mock
def test_a_rate_limit_is_retried_not_mistaken_for_a_dead_token(brand_a, network_apps):
    account = _x_account(brand_a)
    route = respx.post(X_TOKEN_URL).mock(
        side_effect=[
            httpx.Response(429, json=network_payload("x_error_429.json")),
            httpx.Response(200, json=network_payload("x_token.json")),
        ]
    )
    assert _run(account).get() == "refreshed"
    assert route.call_count == 2


@respx.mock
def test_a_permanent_refusal_is_recorded_and_the_status_kept(brand_a, network_apps):
    account = _x_account(brand_a)
    respx.post(X_TOKEN_URL).mock(
        return_value=httpx.Response(
            403,
            json={
                "title": "Forbidden",
                "detail": "Client suspended",
                "type": "about:blank",
                "status": 403,
            },
        )
    )
    assert _run(account).get() == "failed"
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    assert "Client suspended" in account.last_error


def test_the_dispatcher_enqueues_only_accounts_due_across_agencies(
    brand_a, brand_b, eager_tasks, monkeypatch
):
    due_a = _x_account(brand_a)
    due_b = _x_account(brand_b)
    _x_account(brand_a, external_id="later", expires_at=timezone.now() + timedelta(days=10))
    _x_account(brand_a, external_id="never", expires_at=None)
    _x_account(brand_a, external_id="broken", status=AccountStatus.NEEDS_RECONNECT)
    _x_account(brand_a, network="mastodon", external_id="m", instance_url="https://m.example")
    calls = []
    monkeypatch.setattr(refresh_social_account, "delay", lambda **kwargs: calls.append(kwargs))
    assert dispatch_token_refreshes() == 2
    assert sorted(calls, key=lambda c: c["social_account_id"]) == sorted(
        [
            {"agency_id": due_a.agency_id, "social_account_id": due_a.pk},
            {"agency_id": due_b.agency_id, "social_account_id": due_b.pk},
        ],
        key=lambda c: c["social_account_id"],
    )


def test_the_refresh_task_refuses_to_run_without_an_agency():
    from agency.tenancy import NoTenantError

    with pytest.raises(NoTenantError):
        refresh_social_account(social_account_id=1)


def test_the_refresh_task_of_another_agency_finds_nothing(brand_a, agency_b, network_apps):
    account = _x_account(brand_a)
    result = refresh_social_account.apply(
        kwargs={"agency_id": agency_b.pk, "social_account_id": account.pk}
    )
    assert result.get() == "skipped"


def test_the_beat_schedule_runs_the_dispatcher(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["clients.dispatch_token_refreshes"]
    assert entry["task"] == "clients.tasks.dispatch_token_refreshes"
