"""Every write to brands. One transaction each, permission-checked and audited."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.debug import sensitive_variables

from agency import permissions
from agency.models import ApiKey, Membership
from agency.services import audit_record
from clients import oauth, selectors
from clients.models import (
    ACCOUNT_TRANSITIONS,
    LOGO_MAX_BYTES,
    AccountStatus,
    Brand,
    BrandGuidelines,
    ClientContact,
    Competitor,
    MastodonApp,
    Persona,
    SocialAccount,
    validate_logo_size,
)
from core.uploads import LOGO_RULES, CheckedImage, check_image, random_name
from networks.base import AppCredentials, AuthExpired, Credentials, PermanentError
from notifications.models import AlertKind
from notifications.services import alert_send

Actor = Membership | ApiKey

BRAND_FIELDS = ("name", "slug", "industry", "languages", "time_zone", "description")


def _check_unique(brand: Brand) -> None:
    others = Brand.unscoped.filter(agency_id=brand.agency_id).exclude(pk=brand.pk)
    errors = {}
    if others.filter(name__iexact=brand.name).exists():
        errors["name"] = _("This agency already has a brand named “%(name)s”.") % {
            "name": brand.name
        }
    if others.filter(slug=brand.slug).exists():
        errors["slug"] = _("The slug “%(slug)s” is already used by another brand.") % {
            "slug": brand.slug
        }
    if errors:
        raise ValidationError(errors)


def _save(brand: Brand) -> None:
    brand.full_clean(exclude=["agency"])
    _check_unique(brand)
    try:
        # A savepoint, so that losing a race to a concurrent create leaves the outer
        # transaction usable and the caller gets the same field error.
        with transaction.atomic():
            brand.save()
    except IntegrityError:
        _check_unique(brand)
        raise


@transaction.atomic
def brand_create(*, actor: Actor, **fields) -> Brand:
    """Create a brand in the actor's agency. Name and slug are unique within the agency."""
    permissions.require(actor, permissions.BRANDS_MANAGE)
    data = {key: value for key, value in fields.items() if key in BRAND_FIELDS}
    data["name"] = (data.get("name") or "").strip()
    if not data.get("slug"):
        data["slug"] = slugify(data["name"])[:60]
    if not data.get("time_zone"):
        data["time_zone"] = actor.agency.time_zone
    brand = Brand(agency_id=actor.agency_id, **data)
    _save(brand)
    audit_record(agency=actor.agency, actor=actor, verb="brand.created", target=brand)
    return brand


@transaction.atomic
def brand_update(*, actor: Actor, brand: Brand, **fields) -> Brand:
    permissions.require(actor, permissions.BRANDS_MANAGE)
    changed = sorted(
        key for key, value in fields.items() if key in BRAND_FIELDS and getattr(brand, key) != value
    )
    for key in changed:
        setattr(brand, key, fields[key])
    if "name" in changed:
        brand.name = brand.name.strip()
    _save(brand)
    if changed:
        audit_record(
            agency=actor.agency,
            actor=actor,
            verb="brand.updated",
            target=brand,
            data={"fields": changed},
        )
    return brand


@transaction.atomic
def brand_archive(*, actor: Actor, brand: Brand) -> Brand:
    """Hide a brand from lists and pickers; its history stays."""
    permissions.require(actor, permissions.BRANDS_MANAGE)
    if brand.archived_at is None:
        brand.archived_at = timezone.now()
        brand.save(update_fields=["archived_at"])
        audit_record(agency=actor.agency, actor=actor, verb="brand.archived", target=brand)
    return brand


@transaction.atomic
def brand_restore(*, actor: Actor, brand: Brand) -> Brand:
    permissions.require(actor, permissions.BRANDS_MANAGE)
    if brand.archived_at is not None:
        brand.archived_at = None
        brand.save(update_fields=["archived_at"])
        audit_record(agency=actor.agency, actor=actor, verb="brand.restored", target=brand)
    return brand


# --- Brand profile ---------------------------------------------------------------------------

GUIDELINE_FIELDS = ("tone_of_voice", "words_to_use", "words_to_avoid", "hashtag_sets", "signatures")


def _clean_words(values) -> list:
    """Trimmed, without empty entries or case-insensitive repeats, in the given order."""
    if not isinstance(values, list):
        return values  # the model's validator names the field
    seen, out = set(), []
    for value in values:
        if isinstance(value, str):
            value = " ".join(value.split())
            if not value or value.lower() in seen:
                continue
            seen.add(value.lower())
        out.append(value)
    return out


def _clean_hashtag_sets(sets) -> list:
    if not isinstance(sets, list):
        return sets
    out = []
    for entry in sets:
        if isinstance(entry, dict) and isinstance(entry.get("hashtags"), list):
            tags = [
                tag if not isinstance(tag, str) or tag.startswith("#") else f"#{tag}"
                for tag in _clean_words(entry["hashtags"])
            ]
            name = entry.get("name")
            entry = {"name": name.strip() if isinstance(name, str) else name, "hashtags": tags}
        out.append(entry)
    return out


@transaction.atomic
def brand_guidelines_update(*, actor: Actor, brand: Brand, **fields) -> BrandGuidelines:
    """Set the brand's guidelines (created on first use). Lists are trimmed and de-duplicated;
    hashtags get their #. Only the given fields change; all are validated before saving."""
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    unknown = set(fields) - set(GUIDELINE_FIELDS)
    if unknown:
        raise ValueError(f"Not guideline fields: {sorted(unknown)}")
    guidelines = BrandGuidelines.objects.select_for_update().filter(
        brand=brand
    ).first() or BrandGuidelines(agency_id=brand.agency_id, brand=brand)
    for key, value in fields.items():
        if key == "hashtag_sets":
            value = _clean_hashtag_sets(value)
        elif key in {"words_to_use", "words_to_avoid", "signatures"}:
            value = _clean_words(value)
        elif key == "tone_of_voice":
            value = (value or "").strip()
        setattr(guidelines, key, value)
    guidelines.updated_by = actor.user if isinstance(actor, Membership) else None
    guidelines.full_clean(exclude=["agency", "brand", "updated_by"])
    guidelines.save()
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="brand.guidelines_updated",
        target=brand,
        data={"fields": sorted(fields)},
    )
    return guidelines


def _check_logo(upload) -> CheckedImage:
    """Size first (cheap, with the sizes in the message), then core.uploads' image check:
    pixel budget from the header, then a full decode (a truncated file is refused)."""
    if upload.size > LOGO_MAX_BYTES:
        validate_logo_size(upload)  # raises with the sizes in the message
    return check_image(upload, rules=LOGO_RULES)


@transaction.atomic
def brand_logo_set(*, actor: Actor, brand: Brand, logo) -> Brand:
    """Replace the brand's logo. Refuses non-images, damaged images, images over the pixel
    budget and files over the size cap, naming why; nothing is stored and the old logo stays
    when the new one is refused. The stored name is random (never the uploader's)."""
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    try:
        checked = _check_logo(logo)
    except ValidationError as exc:
        raise ValidationError({"logo": exc.messages}) from None
    old_name = brand.logo.name if brand.logo else ""
    logo.seek(0)
    brand.logo.save(random_name(checked.extension), logo, save=False)
    new_name, storage = brand.logo.name, brand.logo.storage
    try:
        with transaction.atomic():
            brand.save(update_fields=["logo"])
            audit_record(agency=brand.agency, actor=actor, verb="brand.logo_changed", target=brand)
    except BaseException:
        storage.delete(new_name)
        raise
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return brand


@transaction.atomic
def brand_logo_remove(*, actor: Actor, brand: Brand) -> Brand:
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    if brand.logo:
        old_name, storage = brand.logo.name, brand.logo.storage
        brand.logo = ""
        brand.save(update_fields=["logo"])
        transaction.on_commit(lambda: storage.delete(old_name))
        audit_record(agency=brand.agency, actor=actor, verb="brand.logo_removed", target=brand)
    return brand


# Profile children: personas, competitors, contacts share one pattern (create, update, delete).

PERSONA_FIELDS = ("name", "language", "age_min", "age_max", "interests", "description")
COMPETITOR_FIELDS = ("name", "website", "handles", "keywords")
CONTACT_FIELDS = ("name", "email", "phone", "role", "is_approver")

# model -> (field that must be unique within the brand, case-insensitively; its error message)
_UNIQUE_WITHIN_BRAND = {
    Persona: ("name", _lazy("This brand already has an audience named “%(value)s”.")),
    Competitor: ("name", _lazy("This brand already has a competitor named “%(value)s”.")),
    ClientContact: ("email", _lazy("This brand already has a contact with the address %(value)s.")),
}


def _check_unique_in_brand(instance) -> None:
    field, message = _UNIQUE_WITHIN_BRAND[type(instance)]
    value = getattr(instance, field)
    clash = (
        type(instance)
        .unscoped.filter(agency_id=instance.agency_id, brand_id=instance.brand_id)
        .filter(**{f"{field}__iexact": value})
        .exclude(pk=instance.pk)
        .exists()
    )
    if clash:
        raise ValidationError({field: message % {"value": value}})


def _normalise_child(instance) -> None:
    for name in ("name", "role", "phone"):
        if isinstance(getattr(instance, name, None), str):
            setattr(instance, name, " ".join(getattr(instance, name).split()))
    if isinstance(instance, ClientContact):
        instance.email = (instance.email or "").strip().lower()
    if isinstance(instance, Persona | Competitor):
        field = "interests" if isinstance(instance, Persona) else "keywords"
        setattr(instance, field, _clean_words(getattr(instance, field)))
    if isinstance(instance, Competitor) and isinstance(instance.handles, dict):
        instance.handles = {
            network: handle.strip() if isinstance(handle, str) else handle
            for network, handle in instance.handles.items()
            if handle not in ("", None)
        }


def _save_child(instance) -> None:
    _normalise_child(instance)
    instance.full_clean(exclude=["agency", "brand"])
    _check_unique_in_brand(instance)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        _check_unique_in_brand(instance)
        raise


def _child_create(model, allowed, verb, *, actor: Actor, brand: Brand, fields: dict):
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    data = {key: value for key, value in fields.items() if key in allowed}
    instance = model(agency_id=brand.agency_id, brand=brand, **data)
    _save_child(instance)
    audit_record(agency=brand.agency, actor=actor, verb=verb, target=instance)
    return instance


def _child_update(allowed, verb, *, actor: Actor, instance, fields: dict):
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    changed = sorted(
        key for key, value in fields.items() if key in allowed and getattr(instance, key) != value
    )
    for key in changed:
        setattr(instance, key, fields[key])
    _save_child(instance)
    if changed:
        audit_record(
            agency=instance.agency,
            actor=actor,
            verb=verb,
            target=instance,
            data={"fields": changed},
        )
    return instance


def _child_delete(verb, *, actor: Actor, instance) -> None:
    permissions.require(actor, permissions.BRANDS_EDIT_PROFILE)
    audit_record(agency=instance.agency, actor=actor, verb=verb, target=instance)
    instance.delete()


@transaction.atomic
def persona_create(*, actor: Actor, brand: Brand, **fields) -> Persona:
    """Add a target audience. Name unique within the brand; age range 13-100, min <= max."""
    return _child_create(
        Persona, PERSONA_FIELDS, "persona.created", actor=actor, brand=brand, fields=fields
    )


@transaction.atomic
def persona_update(*, actor: Actor, persona: Persona, **fields) -> Persona:
    return _child_update(
        PERSONA_FIELDS, "persona.updated", actor=actor, instance=persona, fields=fields
    )


@transaction.atomic
def persona_delete(*, actor: Actor, persona: Persona) -> None:
    _child_delete("persona.deleted", actor=actor, instance=persona)


@transaction.atomic
def competitor_create(*, actor: Actor, brand: Brand, **fields) -> Competitor:
    """Add a competitor. Name unique within the brand; handles only for known networks."""
    return _child_create(
        Competitor,
        COMPETITOR_FIELDS,
        "competitor.created",
        actor=actor,
        brand=brand,
        fields=fields,
    )


@transaction.atomic
def competitor_update(*, actor: Actor, competitor: Competitor, **fields) -> Competitor:
    return _child_update(
        COMPETITOR_FIELDS, "competitor.updated", actor=actor, instance=competitor, fields=fields
    )


@transaction.atomic
def competitor_delete(*, actor: Actor, competitor: Competitor) -> None:
    _child_delete("competitor.deleted", actor=actor, instance=competitor)


@transaction.atomic
def client_contact_create(*, actor: Actor, brand: Brand, **fields) -> ClientContact:
    """Add a person at the client. Email unique within the brand (case-insensitive)."""
    return _child_create(
        ClientContact,
        CONTACT_FIELDS,
        "client_contact.created",
        actor=actor,
        brand=brand,
        fields=fields,
    )


@transaction.atomic
def client_contact_update(*, actor: Actor, client_contact: ClientContact, **fields):
    return _child_update(
        CONTACT_FIELDS,
        "client_contact.updated",
        actor=actor,
        instance=client_contact,
        fields=fields,
    )


@transaction.atomic
def client_contact_delete(*, actor: Actor, client_contact: ClientContact) -> None:
    _child_delete("client_contact.deleted", actor=actor, instance=client_contact)


# --- Connected social accounts ---------------------------------------------------------------


def _require_transition(account: SocialAccount, to: str) -> None:
    if to not in ACCOUNT_TRANSITIONS[account.status]:
        raise ValidationError(
            _("An account that is %(from)s cannot become %(to)s.")
            % {"from": account.get_status_display(), "to": AccountStatus(to).label}
        )


@sensitive_variables("profile")
@transaction.atomic
def social_account_connect(*, actor: Membership, brand: Brand, profile) -> SocialAccount:
    """Store a connected account (an `oauth.ConnectedProfile`), its tokens encrypted.

    Connecting an account the brand already has (same network and id) reconnects it: new
    tokens replace the old, except that a stored refresh token is kept when the network sent
    none; the status goes back to connected and the last error is cleared.
    """
    permissions.require(actor, permissions.SOCIAL_ACCOUNTS_MANAGE)
    if brand.agency_id != actor.agency_id:
        raise PermissionDenied
    account = (
        SocialAccount.objects.select_for_update()
        .filter(brand=brand, network=profile.network, external_id=profile.external_id)
        .first()
    )
    reconnect = account is not None
    if account is None:
        account = SocialAccount(
            agency_id=brand.agency_id,
            brand=brand,
            network=profile.network,
            external_id=profile.external_id,
        )
    else:
        _require_transition(account, AccountStatus.CONNECTED)
    account.handle = profile.handle[:255]
    account.display_name = profile.display_name[:255]
    account.avatar_url = profile.avatar_url[:1000]
    account.scopes = list(profile.scopes)
    account.instance_url = profile.instance_url
    account.access_token = profile.access_token
    if profile.refresh_token:
        account.refresh_token = profile.refresh_token
    account.expires_at = profile.expires_at
    account.status = AccountStatus.CONNECTED
    account.last_error = ""
    account.last_error_at = None
    account.connected_by = actor.user
    account.connected_at = timezone.now()
    account.full_clean(exclude=["agency", "brand", "connected_by", "avatar_url"])
    account.save()
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="social_account.reconnected" if reconnect else "social_account.connected",
        target=account,
        data={"network": account.network, "brand_id": brand.pk},
    )
    return account


def social_account_disconnect(*, actor: Membership, social_account: SocialAccount) -> bool:
    """Stop using the account: revoke the token at the network where it has an endpoint
    (best effort), then wipe the tokens and mark it revoked. Returns whether the network
    confirmed the revocation; the local disconnect happens either way."""
    permissions.require(actor, permissions.SOCIAL_ACCOUNTS_MANAGE)
    _require_transition(social_account, AccountStatus.REVOKED)
    revoked_remotely = False
    if social_account.access_token_encrypted or social_account.refresh_token_encrypted:
        try:
            app = app_credentials_for(social_account)
        except PermanentError:
            app = None
        revoked_remotely = oauth.revoke_remote(
            network=social_account.network,
            access_token=social_account.access_token,
            refresh_token=social_account.refresh_token,
            instance_url=social_account.instance_url,
            app=app,
        )
    with transaction.atomic():
        account = SocialAccount.objects.select_for_update().get(pk=social_account.pk)
        account.access_token = ""
        account.refresh_token = ""
        account.expires_at = None
        account.status = AccountStatus.REVOKED
        account.save(
            update_fields=[
                "access_token_encrypted",
                "refresh_token_encrypted",
                "expires_at",
                "status",
                "updated_at",
            ]
        )
        audit_record(
            agency=account.agency,
            actor=actor,
            verb="social_account.disconnected",
            target=account,
            data={"revoked_at_network": revoked_remotely},
        )
    social_account.refresh_from_db()
    return revoked_remotely


@transaction.atomic
def mastodon_app_for_instance(instance_url: str) -> MastodonApp:
    """Our OAuth client on a Mastodon instance, registered on first use (POST /api/v1/apps)
    and registered again if our callback address changed. Shared by every agency."""
    redirect = oauth.redirect_uri("mastodon")
    app = MastodonApp.objects.select_for_update().filter(instance_url=instance_url).first()
    if app is not None and app.redirect_uri == redirect:
        return app
    registered = oauth.adapter_for("mastodon").register_app(
        instance_url,
        redirect_uri=redirect,
        client_name=settings.MASTODON_CLIENT_NAME,
        website=settings.SITE_URL,
    )
    app = app or MastodonApp(instance_url=instance_url)
    app.client_id = registered.client_id
    app.client_secret = registered.client_secret
    app.redirect_uri = redirect
    app.save()
    return app


def app_credentials_for(account: SocialAccount) -> AppCredentials | None:
    """The OAuth client an account's tokens belong to (None for Bluesky app passwords)."""
    if account.network == "bluesky":
        return None
    if account.network == "mastodon":
        app = MastodonApp.objects.filter(instance_url=account.instance_url).first()
        if app is None:
            raise PermanentError("no Mastodon app is registered for this instance")
        return AppCredentials(client_id=app.client_id, client_secret=app.client_secret)
    app = oauth.configured_app(account.network)
    if app is None:
        raise PermanentError(f"the {account.network} app credentials are not configured")
    return app


def credentials_of(account: SocialAccount) -> Credentials:
    """The decrypted credentials an adapter needs. Never log the result."""
    return Credentials(
        access_token=account.access_token,
        refresh_token=account.refresh_token,
        expires_at=account.expires_at,
        instance_url=account.instance_url,
        external_id=account.external_id,
    )


class RefreshOutcome:
    REFRESHED = "refreshed"
    SKIPPED = "skipped"
    NEEDS_RECONNECT = "needs_reconnect"
    FAILED = "failed"


def social_account_refresh(
    *, social_account_id: int, force: bool = False, window: timedelta | None = None
) -> str:
    """Renew an account's tokens before they expire. Runs inside the account's tenant scope.

    Guarantees: one refresh at a time per account (a lock: some networks rotate refresh
    tokens, and a second refresh with the spent one would look like a dead token); a refresh
    token the network does not replace is kept; an expired/revoked token marks the account
    "needs reconnect" and notifies the brand's managers once; a rate limit or a temporary
    failure re-raises (the task retries) and changes nothing; a permanent refusal is recorded
    in last_error.
    """
    lock = f"social-account-refresh:{social_account_id}"
    if not cache.add(lock, "1", timeout=300):
        return RefreshOutcome.SKIPPED
    try:
        return _refresh_locked(social_account_id, force=force, window=window)
    finally:
        cache.delete(lock)


def _refresh_locked(social_account_id: int, *, force: bool, window: timedelta | None) -> str:
    account = SocialAccount.objects.select_related("brand").filter(pk=social_account_id).first()
    if account is None or account.status != AccountStatus.CONNECTED:
        return RefreshOutcome.SKIPPED
    window = window or timedelta(hours=settings.SOCIAL_TOKEN_REFRESH_WINDOW_HOURS)
    if not force and (account.expires_at is None or account.expires_at > timezone.now() + window):
        return RefreshOutcome.SKIPPED  # refreshed meanwhile, or does not expire
    adapter = oauth.adapter_for(account.network)
    if not adapter.capabilities.token_refresh:
        return RefreshOutcome.SKIPPED
    try:
        app = app_credentials_for(account)
        fresh = adapter.refresh(credentials_of(account), app)
    except AuthExpired as exc:
        social_account_mark_needs_reconnect(
            social_account=account, error=exc.explanation or str(exc)
        )
        return RefreshOutcome.NEEDS_RECONNECT
    except PermanentError as exc:
        _record_error(account, exc.explanation or str(exc))
        return RefreshOutcome.FAILED
    with transaction.atomic():
        locked = SocialAccount.objects.select_for_update().get(pk=account.pk)
        if locked.status != AccountStatus.CONNECTED:
            return RefreshOutcome.SKIPPED  # disconnected while we were away
        locked.access_token = fresh.access_token
        if fresh.refresh_token:
            locked.refresh_token = fresh.refresh_token
        locked.expires_at = fresh.expires_at
        locked.last_error = ""
        locked.last_error_at = None
        locked.save(
            update_fields=[
                "access_token_encrypted",
                "refresh_token_encrypted",
                "expires_at",
                "last_error",
                "last_error_at",
                "updated_at",
            ]
        )
    return RefreshOutcome.REFRESHED


def _record_error(account: SocialAccount, message: str) -> None:
    SocialAccount.objects.filter(pk=account.pk).update(
        last_error=message[:1000], last_error_at=timezone.now()
    )


@transaction.atomic
def social_account_mark_needs_reconnect(*, social_account: SocialAccount, error: str) -> bool:
    """Connected -> needs reconnect, and notify the brand's managers — only on the transition,
    so a second failure (or a retry) while it stays broken notifies nobody again. Returns
    whether this call made the transition."""
    now = timezone.now()
    changed = SocialAccount.objects.filter(
        pk=social_account.pk, status=AccountStatus.CONNECTED
    ).update(
        status=AccountStatus.NEEDS_RECONNECT,
        last_error=error[:1000],
        last_error_at=now,
        updated_at=now,
    )
    if not changed:
        return False
    social_account.refresh_from_db()
    brand = social_account.brand
    recipients = set(selectors.brand_manager_user_ids(brand=brand))
    if social_account.connected_by_id:
        recipients.add(social_account.connected_by_id)
    alert_send(
        agency=brand.agency,
        recipients=recipients,
        kind=AlertKind.ACCOUNT_NEEDS_RECONNECT,
        message=_("%(account)s of %(brand)s must be reconnected: %(error)s")
        % {"account": str(social_account), "brand": brand.name, "error": error[:300]},
        url=reverse("brands:detail", kwargs={"brand_id": brand.pk}) + "?tab=accounts",
    )
    audit_record(
        agency=brand.agency,
        actor=None,
        verb="social_account.needs_reconnect",
        target=social_account,
        data={"error": error[:300]},
    )
    return True
