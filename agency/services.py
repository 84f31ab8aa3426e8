"""Every write to tenancy data. Each function is one transaction and records an audit event.

Services take the acting Membership (or ApiKey) explicitly; permission checks live here, so the
dashboard and the API cannot disagree.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agency import permissions
from agency.brands import brand_ids_checked
from agency.models import (
    Agency,
    ApiKey,
    ApiKeyScope,
    AuditEvent,
    BrandAccess,
    Invitation,
    InvitationBrand,
    Membership,
    Role,
    User,
)
from agency.tenancy import tenant_scope
from core.uploads import LOGO_RULES, check_image, random_name

Actor = Membership | ApiKey


def _hash(secret: str) -> str:
    # Tokens and keys are 32 random bytes: a fast hash is enough (no dictionary to attack),
    # and it lets authentication find the row by hash in one indexed query.
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_label(actor: Actor | None) -> str:
    if isinstance(actor, Membership):
        return actor.user.email
    if isinstance(actor, ApiKey):
        return f"API key {actor.name} ({actor.prefix})"
    return "system"


def audit_record(
    *, agency: Agency, actor: Actor | None, verb: str, target=None, data: dict | None = None
) -> AuditEvent:
    """Append one audit event. Called inside the caller's transaction."""
    return AuditEvent.objects.create(
        agency=agency,
        actor=actor.user if isinstance(actor, Membership) else None,
        actor_label=actor_label(actor)[:200],
        verb=verb,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        data=data or {},
    )


# --- Agencies -------------------------------------------------------------------------------


def _unique_agency_slug(name: str) -> str:
    base = slugify(name)[:50] or "agency"
    slug, n = base, 2
    while Agency.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def agency_create(
    *, owner: User, name: str, time_zone: str = "Africa/Casablanca", language: str = "fr"
) -> Agency:
    """Create an agency with `owner` as its first owner. The slug is derived and unique."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the agency a name.")})
    agency = Agency(
        name=name, slug=_unique_agency_slug(name), time_zone=time_zone, language=language
    )
    agency.full_clean()
    agency.save()
    # The creator may be working in another agency: the new one's rows are written in its scope.
    with tenant_scope(agency):
        membership = Membership.objects.create(agency=agency, user=owner, role=Role.OWNER)
        audit_record(agency=agency, actor=membership, verb="agency.created", target=agency)
    return agency


def _checked_logo(upload):
    """The uploaded logo after core.uploads' image check (pixel budget from the header, full
    decode), renamed to a random storage name; a ValidationError on `logo` otherwise."""
    try:
        checked = check_image(upload, rules=LOGO_RULES)
    except ValidationError as exc:
        raise ValidationError({"logo": exc.messages}) from None
    upload.name = random_name(checked.extension)
    return upload


@transaction.atomic
def agency_update(*, actor: Membership, agency: Agency, **fields) -> Agency:
    """Change the agency's settings. Only the fields given change; all are validated first.
    A new logo is checked before anything is stored, stored under a random name, and the
    replaced file is removed once the change is committed."""
    permissions.require(actor, permissions.AGENCY_EDIT)
    allowed = {"name", "time_zone", "language", "logo", "primary_colour", "require_two_factor"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not agency settings: {sorted(unknown)}")
    if fields.get("logo") and not isinstance(fields["logo"], str):
        fields["logo"] = _checked_logo(fields["logo"])
    old_logo = agency.logo.name if agency.logo else ""
    changed = {k: v for k, v in fields.items() if getattr(agency, k) != v}
    for key, value in changed.items():
        setattr(agency, key, value)
    agency.full_clean()
    try:
        with transaction.atomic():
            agency.save()
    except BaseException:
        if "logo" in changed and agency.logo and agency.logo.name != old_logo:
            agency.logo.storage.delete(agency.logo.name)
        raise
    if "logo" in changed and old_logo:
        storage = agency.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    if changed:
        audit_record(
            agency=agency,
            actor=actor,
            verb="agency.updated",
            target=agency,
            data={"fields": sorted(changed)},
        )
    return agency


# --- Members --------------------------------------------------------------------------------


def _owners_left(agency_id: int, excluding: Membership) -> int:
    return (
        Membership.objects.filter(agency_id=agency_id, role=Role.OWNER)
        .exclude(pk=excluding.pk)
        .count()
    )


@transaction.atomic
def membership_change_role(
    *, actor: Membership, membership: Membership, role: str, brand_ids: list[int] | None = None
) -> Membership:
    """Give a member a new role (and, for client roles, their brands).

    Guarantees: only owners grant or take away the owner role; an agency always keeps an owner;
    brand access exists only for client roles.
    """
    permissions.require(actor, permissions.MEMBERS_MANAGE)
    if role not in Role.values:
        raise ValidationError({"role": _("“%(role)s” is not a role.") % {"role": role}})
    if Role.OWNER in (role, membership.role) and actor.role != Role.OWNER:
        raise PermissionDenied(_("Only an owner can grant or remove the owner role."))
    losing_an_owner = membership.role == Role.OWNER and role != Role.OWNER
    if losing_an_owner and _owners_left(membership.agency_id, membership) == 0:
        raise ValidationError({"role": _("The agency must keep at least one owner.")})
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _set_brand_access(membership, brand_ids if membership.is_client else [])
    audit_record(
        agency=membership.agency,
        actor=actor,
        verb="membership.role_changed",
        target=membership,
        data={"from": old_role, "to": role, "brand_ids": sorted(brand_ids or [])},
    )
    return membership


def _set_brand_access(membership: Membership, brand_ids: list[int] | None) -> None:
    wanted = brand_ids_checked(agency_id=membership.agency_id, brand_ids=brand_ids)
    BrandAccess.objects.filter(membership=membership).exclude(brand_id__in=wanted).delete()
    existing = set(
        BrandAccess.objects.filter(membership=membership).values_list("brand_id", flat=True)
    )
    BrandAccess.objects.bulk_create(
        BrandAccess(agency_id=membership.agency_id, membership=membership, brand_id=brand_id)
        for brand_id in wanted
        if brand_id not in existing
    )


@transaction.atomic
def membership_remove(*, actor: Membership, membership: Membership) -> None:
    """Remove someone from the agency. The last owner cannot be removed."""
    permissions.require(actor, permissions.MEMBERS_MANAGE)
    if membership.role == Role.OWNER:
        if actor.role != Role.OWNER:
            raise PermissionDenied(_("Only an owner can remove an owner."))
        if _owners_left(membership.agency_id, membership) == 0:
            raise ValidationError(_("The agency must keep at least one owner."))
    audit_record(
        agency=membership.agency,
        actor=actor,
        verb="membership.removed",
        target=membership,
        data={"email": membership.user.email, "role": membership.role},
    )
    membership.delete()


# --- Invitations ----------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, actor: Membership, email: str, role: str, brand_ids: list[int] | None = None
) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and its token (not stored in clear).

    The email is sent by a task once the transaction commits.
    """
    permissions.require(actor, permissions.INVITATIONS_MANAGE)
    email = email.strip().lower()
    errors = {}
    if role not in Role.values:
        errors["role"] = _("“%(role)s” is not a role.") % {"role": role}
    elif role == Role.OWNER and actor.role != Role.OWNER:
        errors["role"] = _("Only an owner can invite another owner.")
    elif role not in {Role.CLIENT_APPROVER, Role.CLIENT_VIEWER} and brand_ids:
        errors["brands"] = _("Brands are given to client roles only.")
    elif role in {Role.CLIENT_APPROVER, Role.CLIENT_VIEWER} and not brand_ids:
        errors["brands"] = _("Choose at least one brand for a client.")
    if Membership.objects.filter(agency_id=actor.agency_id, user__email__iexact=email).exists():
        errors["email"] = _("%(email)s is already a member of this agency.") % {"email": email}
    if errors:
        raise ValidationError(errors)

    brand_ids = brand_ids_checked(agency_id=actor.agency_id, brand_ids=brand_ids)

    # A new invitation replaces a pending one to the same address.
    Invitation.objects.filter(
        agency_id=actor.agency_id, email__iexact=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())

    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        agency_id=actor.agency_id,
        email=email,
        role=role,
        token_hash=_hash(token),
        invited_by=actor.user,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    invitation.full_clean(exclude=["token_hash"])
    invitation.save()
    InvitationBrand.objects.bulk_create(
        InvitationBrand(agency_id=invitation.agency_id, invitation=invitation, brand_id=brand_id)
        for brand_id in brand_ids
    )
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="invitation.created",
        target=invitation,
        data={"email": email, "role": role, "brand_ids": brand_ids},
    )
    _send_invitation_on_commit(invitation, token)
    return invitation, token


def _send_invitation_on_commit(invitation: Invitation, token: str) -> None:
    from agency.tasks import send_invitation_email

    transaction.on_commit(
        lambda: send_invitation_email.delay(
            agency_id=invitation.agency_id, invitation_id=invitation.pk, token=token
        )
    )


@transaction.atomic
def invitation_resend(*, actor: Membership, invitation: Invitation) -> tuple[Invitation, str]:
    """Issue a fresh token and expiry for a pending or expired invitation and send it again."""
    permissions.require(actor, permissions.INVITATIONS_MANAGE)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation was already used or revoked."))
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    audit_record(agency=invitation.agency, actor=actor, verb="invitation.resent", target=invitation)
    _send_invitation_on_commit(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, actor: Membership, invitation: Invitation) -> Invitation:
    permissions.require(actor, permissions.INVITATIONS_MANAGE)
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            agency=invitation.agency, actor=actor, verb="invitation.revoked", target=invitation
        )
    return invitation


def invitation_check_usable(invitation: Invitation | None) -> Invitation:
    """The one place that says why an invitation link cannot be used."""
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.revoked_at:
        raise ValidationError(_("This invitation was withdrawn by the agency."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask the agency for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Turn a valid invitation into a membership of `user`. Single use; locked against races.

    The invitation is addressed to an email: only the person signed in with that address may
    accept it, so a forwarded link cannot enrol someone else.
    """
    from agency.selectors import invitation_get_by_token_across_agencies

    invitation = invitation_check_usable(
        invitation_get_by_token_across_agencies(token, for_update=True)
    )
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s; sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    # The guest has no agency yet: the invitation is what names it.
    with tenant_scope(invitation.agency_id):
        if Membership.objects.filter(user=user).exists():
            raise ValidationError(_("You are already a member of this agency."))
        membership = Membership.objects.create(
            agency_id=invitation.agency_id, user=user, role=invitation.role
        )
        brand_ids = list(invitation.brands.values_list("pk", flat=True))
        if membership.is_client:
            _set_brand_access(membership, brand_ids)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            agency=invitation.agency,
            actor=membership,
            verb="invitation.accepted",
            target=invitation,
            data={"role": invitation.role, "brand_ids": sorted(brand_ids)},
        )
    return membership


@transaction.atomic
def invitation_accept_as_new_user(
    *, token: str, full_name: str, password: str
) -> tuple[User, Membership]:
    """Create the invited person's account and accept in one step.

    The address is marked verified: the person proved it by opening the emailed link.
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth.password_validation import validate_password

    from agency.selectors import invitation_get_by_token_across_agencies

    invitation = invitation_check_usable(invitation_get_by_token_across_agencies(token))
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("An account already exists for %(email)s: sign in to accept.")
            % {"email": invitation.email}
        )
    user = User(email=invitation.email, full_name=full_name.strip())
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    membership = invitation_accept(token=token, user=user)
    return user, membership


# --- API keys -------------------------------------------------------------------------------


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
                key_hash=_hash(secret),
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


def api_key_hash(secret: str) -> str:
    return _hash(secret)
