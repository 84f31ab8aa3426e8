"""Every write to tenancy data. Each function is one transaction and records an audit event.

Services take the acting Membership (or ApiKey) explicitly; permission checks live here, so the
dashboard and the API cannot disagree.
"""

import functools
import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import (
    Agency,
    AlertChannel,
    AlertKind,
    AlertSeverity,
    ApiKey,
    ApiKeyScope,
    AuditEvent,
    BrandAccess,
    Invitation,
    Membership,
    Notification,
    NotificationPreference,
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
    return AuditEvent.unscoped.create(
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
    membership = Membership.unscoped.create(agency=agency, user=owner, role=Role.OWNER)
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
        Membership.unscoped.filter(agency_id=agency_id, role=Role.OWNER)
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
    from clients.models import Brand

    wanted = set(brand_ids or [])
    found = set(
        Brand.unscoped.filter(agency_id=membership.agency_id, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if wanted - found:
        raise ValidationError({"brands": _("Some of the chosen brands do not exist.")})
    BrandAccess.unscoped.filter(membership=membership).exclude(brand_id__in=wanted).delete()
    existing = set(
        BrandAccess.unscoped.filter(membership=membership).values_list("brand_id", flat=True)
    )
    BrandAccess.unscoped.bulk_create(
        BrandAccess(agency_id=membership.agency_id, membership=membership, brand_id=brand_id)
        for brand_id in sorted(wanted - existing)
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
    if Membership.unscoped.filter(agency_id=actor.agency_id, user__email__iexact=email).exists():
        errors["email"] = _("%(email)s is already a member of this agency.") % {"email": email}
    if errors:
        raise ValidationError(errors)

    from clients.models import Brand

    brands = list(Brand.unscoped.filter(agency_id=actor.agency_id, pk__in=brand_ids or []))
    if len(brands) != len(set(brand_ids or [])):
        raise ValidationError({"brands": _("Some of the chosen brands do not exist.")})

    # A new invitation replaces a pending one to the same address.
    Invitation.unscoped.filter(
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
    invitation.brands.set(brands)
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="invitation.created",
        target=invitation,
        data={"email": email, "role": role, "brand_ids": sorted(b.pk for b in brands)},
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
    from agency.selectors import invitation_get_by_token

    invitation = invitation_check_usable(invitation_get_by_token(token, for_update=True))
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

    from agency.selectors import invitation_get_by_token

    invitation = invitation_check_usable(invitation_get_by_token(token))
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
    elif ApiKey.unscoped.filter(agency_id=actor.agency_id, name__iexact=name).exists():
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
            key = ApiKey.unscoped.create(
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
    ApiKey.unscoped.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


def api_key_hash(secret: str) -> str:
    return _hash(secret)


# --- Notifications --------------------------------------------------------------------------


def notification_send(
    *, agency: Agency, recipients, verb: str, message: str, url: str = ""
) -> list[Notification]:
    """Leave one in-app notification per distinct recipient (users of `agency`).

    Callers decide *when* to notify (e.g. only on a state transition, so that a retry does not
    notify twice); this only writes the rows, in the caller's transaction.
    """
    member_ids = set(
        Membership.unscoped.filter(agency=agency, user__in=list(recipients)).values_list(
            "user_id", flat=True
        )
    )
    return Notification.unscoped.bulk_create(
        Notification(
            agency=agency, recipient_id=user_id, verb=verb, message=message[:500], url=url[:500]
        )
        for user_id in sorted(member_ids)
    )


# --- Notification centre: alerts routed by each person's preferences ------------------------


def notification_preference_for(*, agency_id: int, user_id: int) -> NotificationPreference:
    """The person's preferences, or unsaved defaults."""
    found = NotificationPreference.unscoped.filter(agency_id=agency_id, user_id=user_id).first()
    return found or NotificationPreference(agency_id=agency_id, user_id=user_id)


def alert_send(
    *,
    agency: Agency,
    recipients,
    kind: str,
    message: str,
    url: str = "",
    severity: str = AlertSeverity.NORMAL,
) -> list[Notification]:
    """Alert people of the agency, each through the channel they chose for `kind`.

    Guarantees: "off" means nothing at all; every other channel leaves an in-app notification;
    "email_immediate" emails once the caller's transaction commits, except during the person's
    quiet hours (agency time zone), when the email waits for the digest — unless the alert is
    critical, which ignores quiet hours; "email_digest" waits for the daily digest. Rows are
    written in the caller's transaction.
    """
    agency_tz = zoneinfo.ZoneInfo(agency.time_zone)
    local_now = timezone.localtime(timezone.now(), agency_tz).time()
    member_ids = sorted(
        set(
            Membership.unscoped.filter(agency=agency, user__in=list(recipients)).values_list(
                "user_id", flat=True
            )
        )
    )
    prefs = {
        p.user_id: p
        for p in NotificationPreference.unscoped.filter(agency=agency, user_id__in=member_ids)
    }
    rows = []
    for user_id in member_ids:
        pref = prefs.get(user_id) or NotificationPreference(agency=agency, user_id=user_id)
        channel = pref.channel_for(kind)
        if channel == AlertChannel.OFF:
            continue
        email_state = ""
        if channel == AlertChannel.EMAIL_IMMEDIATE:
            quiet = pref.in_quiet_hours(local_now) and severity != AlertSeverity.CRITICAL
            email_state = "digest" if quiet else "immediate"
        elif channel == AlertChannel.EMAIL_DIGEST:
            email_state = "digest"
        rows.append(
            Notification(
                agency=agency,
                recipient_id=user_id,
                verb=kind,
                message=message[:500],
                url=url[:500],
                severity=severity,
                email_state=email_state,
            )
        )
    created = Notification.unscoped.bulk_create(rows)
    immediate = [n.pk for n in created if n.email_state == "immediate"]
    if immediate:
        from agency.tasks import send_alert_emails

        transaction.on_commit(
            functools.partial(
                send_alert_emails.delay, agency_id=agency.pk, notification_ids=immediate
            )
        )
    return created


def alert_emails_send(*, agency_id: int, notification_ids: list[int]) -> int:
    """Email the given immediate alerts, each once (a conditional update claims it)."""
    from django.core.mail import send_mail
    from django.utils import translation

    sent = 0
    notifications = Notification.unscoped.filter(
        agency_id=agency_id, pk__in=notification_ids, email_state="immediate"
    ).select_related("recipient", "agency")
    for notification in notifications:
        if not Notification.unscoped.filter(pk=notification.pk, email_state="immediate").update(
            email_state="sent"
        ):
            continue
        link = settings.SITE_URL.rstrip("/") + notification.url if notification.url else ""
        with translation.override(notification.agency.language):
            subject = (
                _("[Critical] %(message)s")
                if notification.severity == "critical"
                else "%(message)s"
            ) % {"message": notification.message[:120]}
            send_mail(
                subject,
                f"{notification.message}\n\n{link}".strip(),
                None,
                [notification.recipient.email],
            )
        sent += 1
    return sent


def notification_digests_send(*, agency_id: int, now=None) -> int:
    """Send each person of the agency one email with the alerts waiting for the digest.

    A person's digest goes out during their digest hour (agency time zone), outside their quiet
    hours; alerts waiting more than a day go out at the next run whatever the hour, so nothing
    waits forever. Returns the number of emails sent.
    """
    from django.core.mail import send_mail
    from django.utils import translation

    now = now or timezone.now()
    agency = Agency.objects.get(pk=agency_id)
    local = timezone.localtime(now, zoneinfo.ZoneInfo(agency.time_zone))
    waiting = Notification.unscoped.filter(agency_id=agency_id, email_state="digest").order_by(
        "created_at"
    )
    by_user: dict[int, list[Notification]] = {}
    for notification in waiting.select_related("recipient"):
        by_user.setdefault(notification.recipient_id, []).append(notification)
    sent = 0
    for user_id, items in by_user.items():
        pref = notification_preference_for(agency_id=agency_id, user_id=user_id)
        overdue = now - items[0].created_at > timedelta(hours=25)
        due = local.hour == pref.digest_hour and not pref.in_quiet_hours(local.time())
        if not (due or overdue):
            continue
        ids = [n.pk for n in items]
        if not Notification.unscoped.filter(pk__in=ids, email_state="digest").update(
            email_state="sent"
        ):
            continue
        base = settings.SITE_URL.rstrip("/")
        with translation.override(agency.language):
            subject = _("%(agency)s: %(count)s alerts since the last digest") % {
                "agency": agency.name,
                "count": len(items),
            }
            lines = [
                f"- {timezone.localtime(n.created_at, local.tzinfo):%d/%m %H:%M} {n.message}"
                + (f"\n  {base}{n.url}" if n.url else "")
                for n in items
            ]
        send_mail(subject, "\n".join(lines), None, [items[0].recipient.email])
        sent += 1
    return sent


def notification_digest_agency_ids() -> list[int]:
    """Agencies with alerts waiting for a digest. Spans agencies: the beat dispatcher's query."""
    return sorted(
        set(Notification.unscoped.filter(email_state="digest").values_list("agency_id", flat=True))
    )


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.unscoped.filter(pk=notification.pk).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, agency: Agency, user: User) -> int:
    return Notification.unscoped.filter(agency=agency, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_preference_update(
    *, membership: Membership, channels: dict, quiet_hours_start, quiet_hours_end, digest_hour: int
) -> NotificationPreference:
    """Save one person's alert settings; unknown kinds or channels are refused by field."""
    errors = {}
    for kind, channel in channels.items():
        if kind not in AlertKind.values or channel not in AlertChannel.values:
            errors[kind] = _("Choose a channel from the list.")
    if (quiet_hours_start is None) != (quiet_hours_end is None):
        errors["quiet_hours_end"] = _("Give both the start and the end of the quiet hours.")
    if not 0 <= digest_hour <= 23:
        errors["digest_hour"] = _("Choose an hour between 0 and 23.")
    if errors:
        raise ValidationError(errors)
    pref, _created = NotificationPreference.unscoped.update_or_create(
        agency_id=membership.agency_id,
        user_id=membership.user_id,
        defaults={
            "channels": dict(channels),
            "quiet_hours_start": quiet_hours_start,
            "quiet_hours_end": quiet_hours_end,
            "digest_hour": digest_hour,
        },
    )
    return pref
