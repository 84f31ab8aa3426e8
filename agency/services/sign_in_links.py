"""Client users' passwordless sign-in: a single-use, expiring link e-mailed on request.

Guarantees: a link is sent only to a person with a client role (approver or viewer) in an
agency, one link per such membership; the answer to the request is the same whether or not
the address has an account (the view says so, this module returns nothing it could leak);
only a SHA-256 of the token is stored; a link signs in once (a conditional update spends it,
so two POSTs racing each other cannot both win), never after `SIGN_IN_LINK_TTL_MINUTES`, and
never from a GET (the view shows a confirmation page; only its POST calls `sign_in_link_use`).
Requests, uses and refusals are in the agency's audit log.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.hashing import secret_hash
from agency.models import CLIENT_ROLES, Membership, SignInLink, User
from agency.services.audit import audit_record
from agency.tenancy import tenant_scope

logger = logging.getLogger(__name__)


def _client_memberships_across_agencies(email: str) -> list[Membership]:
    """The client memberships of the active person with this address (authentication look-up:
    it spans agencies by design, as the sign-in form knows no agency yet)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return []
    return list(
        Membership.unscoped.filter(user=user, role__in=CLIENT_ROLES)
        .select_related("agency", "user")
        .order_by("agency_id")
    )


def sign_in_links_request(*, email: str, ip: str | None) -> int:
    """E-mail a sign-in link for each client membership of the person with this address.

    Returns how many links were made (for tests and logs only: never show it). Nothing is
    made, sent or audited for an unknown address, an inactive person or a team member.
    """
    made = 0
    for membership in _client_memberships_across_agencies(email):
        with tenant_scope(membership.agency_id), transaction.atomic():
            token = secrets.token_urlsafe(32)
            now = timezone.now()
            link = SignInLink.objects.create(
                agency_id=membership.agency_id,
                membership=membership,
                token_hash=secret_hash(token),
                created_at=now,
                expires_at=now + timedelta(minutes=settings.SIGN_IN_LINK_TTL_MINUTES),
                requested_from=ip or None,
            )
            audit_record(
                agency=membership.agency,
                actor=membership,
                verb="sign_in_link.requested",
                target=link,
                data={"ip": ip or ""},
            )
            _send_on_commit(link, token)
        made += 1
    return made


def _send_on_commit(link: SignInLink, token: str) -> None:
    from agency.tasks import send_sign_in_link_email

    transaction.on_commit(
        lambda: send_sign_in_link_email.delay(
            agency_id=link.agency_id, sign_in_link_id=link.pk, token=token
        )
    )


def sign_in_link_get_by_token_across_agencies(token: str) -> SignInLink | None:
    """The link a token opens, whatever its state (authentication look-up, by hash)."""
    if not token or len(token) > 200:
        return None
    return (
        SignInLink.unscoped.select_related("membership__user", "agency")
        .filter(token_hash=secret_hash(token))
        .first()
    )


def sign_in_link_problem(link: SignInLink | None) -> str:
    """Why a link cannot sign in, in the person's words, or "" when it can."""
    if link is None:
        return _("This sign-in link is not valid. Ask for a new one.")
    if link.used_at is not None:
        return _("This sign-in link was already used. Ask for a new one.")
    if link.expires_at <= timezone.now():
        return _(
            "This sign-in link expired (links work for %(minutes)s minutes). Ask for a new one."
        ) % {"minutes": settings.SIGN_IN_LINK_TTL_MINUTES}
    if not link.membership.user.is_active or link.membership.role not in CLIENT_ROLES:
        return _("This sign-in link can no longer be used. Ask for a new one.")
    return ""


def sign_in_link_refusal_record(*, link: SignInLink | None, reason: str, ip: str | None) -> None:
    """Audit a refused use of a known link (an unknown token has no agency: logged only)."""
    if link is None:
        logger.info("sign-in link refused: unknown token (ip %s)", ip)
        return
    with tenant_scope(link.agency_id), transaction.atomic():
        audit_record(
            agency=link.agency,
            actor=link.membership,
            verb="sign_in_link.refused",
            target=link,
            data={"reason": reason, "ip": ip or ""},
        )


def sign_in_link_use(*, token: str, ip: str | None) -> Membership:
    """Spend the link and return the membership to sign in as. Raises ValidationError (with
    the person's words) when the link is unknown, used, expired or no longer a client's; the
    refusal of a known link is audited."""
    link = sign_in_link_get_by_token_across_agencies(token)
    problem = sign_in_link_problem(link)
    if problem:
        code = _refusal_code(link)
        sign_in_link_refusal_record(link=link, reason=code, ip=ip)
        raise ValidationError(problem, code=code)
    assert link is not None  # nosec: sign_in_link_problem refuses None
    with tenant_scope(link.agency_id), transaction.atomic():
        now = timezone.now()
        spent = SignInLink.objects.filter(pk=link.pk, used_at=None, expires_at__gt=now).update(
            used_at=now
        )
        if not spent:  # another request spent it between the read and here
            audit_record(
                agency=link.agency,
                actor=link.membership,
                verb="sign_in_link.refused",
                target=link,
                data={"reason": "used", "ip": ip or ""},
            )
            raise ValidationError(
                _("This sign-in link was already used. Ask for a new one."), code="used"
            )
        audit_record(
            agency=link.agency,
            actor=link.membership,
            verb="sign_in_link.used",
            target=link,
            data={"ip": ip or ""},
        )
    _email_verified(link.membership.user)
    return link.membership


def _refusal_code(link: SignInLink | None) -> str:
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.expires_at <= timezone.now():
        return "expired"
    return "not_a_client"


def _email_verified(user: User) -> None:
    """The link reached the address: it is verified (as allauth's own login by code does), so
    that the mandatory e-mail verification does not stop the sign-in."""
    from allauth.account.models import EmailAddress

    address, _created = EmailAddress.objects.get_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "primary": True}
    )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
