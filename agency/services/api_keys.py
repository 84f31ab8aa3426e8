"""API keys: creating one (the secret is shown once; only its hash is stored), revoking it, and
recording its use."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.hashing import secret_hash
from agency.models import ApiKey, ApiKeyScope, Membership
from agency.services.audit import audit_record
from agency.tenancy import tenant_scope


@transaction.atomic
def api_key_create(*, actor: Membership, name: str, scope: str) -> tuple[ApiKey, str]:
    """Create an API key. Returns the key object and the full secret, shown exactly once."""
    permissions.require(actor, permissions.API_KEYS_MANAGE)
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the key a name that says what uses it.")
    elif ApiKey.objects.filter(agency_id=actor.agency_id, name__iexact=name).exists():
        errors["name"] = _("A key with this name already exists.")
    if scope not in ApiKeyScope.values:
        errors["scope"] = _("“%(scope)s” is not a scope; use read or read_write.") % {
            "scope": scope
        }
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    secret = f"ak_{prefix}_{secrets.token_urlsafe(32)}"
    try:
        with transaction.atomic():
            key = ApiKey.objects.create(
                agency_id=actor.agency_id,
                name=name,
                prefix=prefix,
                key_hash=secret_hash(secret),
                scope=scope,
                created_by=actor.user,
            )
    except IntegrityError:
        raise ValidationError({"name": _("A key with this name already exists.")}) from None
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="api_key.created",
        target=key,
        data={"scope": scope},
    )
    return key, secret


@transaction.atomic
def api_key_revoke(*, actor: Membership, api_key: ApiKey) -> ApiKey:
    permissions.require(actor, permissions.API_KEYS_MANAGE)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit_record(agency=actor.agency, actor=actor, verb="api_key.revoked", target=api_key)
    return api_key


def api_key_touch(api_key: ApiKey) -> None:
    """Record use, at most once a minute per key so that reads do not turn into writes."""
    now = timezone.now()
    precision = timedelta(seconds=settings.API_KEY_LAST_USED_PRECISION_SECONDS)
    if api_key.last_used_at and now - api_key.last_used_at < precision:
        return
    # Authentication runs before the request enters the key's scope.
    with tenant_scope(api_key.agency_id):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now
