"""Tokens at rest: encrypted in the database, rotated by command, never shown anywhere."""

import pytest
from cryptography.fernet import Fernet
from django.contrib import admin
from django.core.management import call_command
from django.db import connection

from agency.tenancy import tenant_scope
from clients.models import MastodonApp, SocialAccount
from clients.tests.factories import MastodonAppFactory, SocialAccountFactory
from core import crypto

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _raw_columns(account) -> tuple[str, str]:
    # A raw read of a tenant table, in the row's agency (row-level security, agency/rls.py).
    with tenant_scope(account.agency_id), connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token_encrypted, refresh_token_encrypted FROM clients_socialaccount "
            "WHERE id = %s",
            [account.pk],
        )
        return cursor.fetchone()


def test_tokens_are_encrypted_in_the_database(brand_a):
    account = SocialAccountFactory(
        agency=brand_a.agency,
        brand=brand_a,
        access_token="plain-access-123",
        refresh_token="plain-refresh-456",
    )
    raw_access, raw_refresh = _raw_columns(account)
    assert "plain-access-123" not in raw_access and "plain-refresh-456" not in raw_refresh
    assert raw_access.startswith("gAAAA")  # a Fernet token
    fresh = SocialAccount.unscoped.get(pk=account.pk)
    assert (fresh.access_token, fresh.refresh_token) == ("plain-access-123", "plain-refresh-456")


def test_tokens_never_appear_in_str_repr_or_the_instance_dict(brand_a):
    account = SocialAccountFactory(agency=brand_a.agency, brand=brand_a, access_token="sekret-1")
    for text in (str(account), repr(account), str(vars(account))):
        assert "sekret-1" not in text


def test_a_token_encrypted_with_an_old_key_still_decrypts_and_the_command_rotates_it(
    brand_a, settings
):
    settings.TOKEN_ENCRYPTION_KEYS = [OLD_KEY]
    account = SocialAccountFactory(
        agency=brand_a.agency, brand=brand_a, access_token="tok-a", refresh_token="tok-r"
    )
    app = MastodonAppFactory(instance_url="https://old.example", client_secret="app-secret")
    before = _raw_columns(account)

    settings.TOKEN_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert SocialAccount.unscoped.get(pk=account.pk).access_token == "tok-a"
    call_command("rotate_token_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    after = _raw_columns(account)
    assert after != before
    assert Fernet(NEW_KEY.encode()).decrypt(after[0].encode()) == b"tok-a"
    settings.TOKEN_ENCRYPTION_KEYS = [NEW_KEY]  # the old key can now go
    rotated = SocialAccount.unscoped.get(pk=account.pk)
    assert (rotated.access_token, rotated.refresh_token) == ("tok-a", "tok-r")
    assert MastodonApp.objects.get(pk=app.pk).client_secret == "app-secret"


def test_a_removed_key_gives_a_clear_error_without_the_token(brand_a, settings):
    settings.TOKEN_ENCRYPTION_KEYS = [OLD_KEY]
    account = SocialAccountFactory(agency=brand_a.agency, brand=brand_a, access_token="tok-x")
    settings.TOKEN_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(crypto.TokenDecryptionError) as caught:
        SocialAccount.unscoped.get(pk=account.pk).access_token  # noqa: B018
    assert "tok-x" not in str(caught.value)


def test_a_malformed_key_is_refused_by_position_not_echoed(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TOKEN_ENCRYPTION_KEYS = [NEW_KEY, "not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="key number 2") as caught:
        crypto.encrypt("x")
    assert "not-a-key" not in str(caught.value)


def test_the_api_never_shows_tokens(owner_of_a, brand_a, api_as):
    account = SocialAccountFactory(
        agency=brand_a.agency, brand=brand_a, access_token="api-secret-1", refresh_token="r-2"
    )
    client = api_as(owner_of_a)
    for url in ("/api/v1/social-accounts/", f"/api/v1/social-accounts/{account.pk}/"):
        body = client.get(url).content.decode()
        assert "api-secret-1" not in body and "r-2" not in body
        assert account.access_token_encrypted not in body
        assert "token_encrypted" not in body


def test_the_admin_excludes_the_token_columns():
    model_admin = admin.site._registry[SocialAccount]
    shown = set(model_admin.get_fields(None)) | set(model_admin.list_display)
    assert not {"access_token_encrypted", "refresh_token_encrypted"} & shown
    app_admin = admin.site._registry[MastodonApp]
    assert "client_secret_encrypted" not in app_admin.get_fields(None)


def test_rotation_re_encrypts_webhook_secrets_too(agency_a, settings):
    from datetime import timedelta

    from django.utils import timezone

    from webhooks.models import WebhookEndpoint
    from webhooks.tests.factories import WebhookEndpointFactory

    settings.TOKEN_ENCRYPTION_KEYS = [OLD_KEY]
    endpoint = WebhookEndpointFactory(agency=agency_a, secret="whsec_current")
    WebhookEndpoint.unscoped.filter(pk=endpoint.pk).update(
        previous_secret_encrypted=crypto.encrypt("whsec_previous"),
        previous_secret_until=timezone.now() + timedelta(hours=1),
    )

    settings.TOKEN_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("rotate_token_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.TOKEN_ENCRYPTION_KEYS = [NEW_KEY]  # the documented last step

    rotated = WebhookEndpoint.unscoped.get(pk=endpoint.pk)
    assert rotated.secret == "whsec_current"
    assert rotated.previous_secret_at(timezone.now()) == "whsec_previous"


def test_every_encrypted_column_of_every_model_is_rotated():
    """The next encrypted column is rotated by the command without being added to it: every
    column holding ciphertext is named *_encrypted, and the command rotates those."""
    from django.apps import apps

    rotated = {(model, column) for model, cols in crypto.encrypted_columns() for column in cols}
    assert (SocialAccount, "access_token_encrypted") in rotated
    assert (MastodonApp, "client_secret_encrypted") in rotated
    assert (apps.get_model("webhooks", "WebhookEndpoint"), "secret_encrypted") in rotated
    assert (apps.get_model("webhooks", "WebhookEndpoint"), "previous_secret_encrypted") in rotated
    # A column that looks encrypted but does not follow the naming convention would be missed.
    suspicious = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if ("secret" in field.name or "token" in field.name)
        and not field.name.endswith(crypto.ENCRYPTED_SUFFIX)
        and field.get_internal_type() == "TextField"
    ]
    assert suspicious == []
