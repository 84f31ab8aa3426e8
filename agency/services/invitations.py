"""Invitations: inviting someone by email (with their brands, for a client role), sending the
link again, withdrawing it, and accepting it, signed in or as a new account. A link is single
use and opens only for the address it was sent to."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.brands import brand_ids_checked
from agency.hashing import secret_hash
from agency.models import Invitation, InvitationBrand, Membership, Role, User
from agency.services.audit import audit_record
from agency.services.members import brand_access_set
from agency.tenancy import tenant_scope


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
        token_hash=secret_hash(token),
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
    invitation.token_hash = secret_hash(token)
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
            brand_access_set(membership, brand_ids)
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
