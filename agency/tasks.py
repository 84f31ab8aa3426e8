"""Tenancy tasks: thin wrappers that take ids and call one service."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from agency.models import Invitation, SignInLink
from agency.tasks_base import TenantTask

logger = logging.getLogger(__name__)


@shared_task(
    base=TenantTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_invitation_email(self, *, agency_id: int, invitation_id: int, token: str) -> None:
    """Email the invitation link. Quietly does nothing if the invitation is gone or used."""
    invitation = (
        Invitation.objects.select_related("agency", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_pending:
        logger.info("invitation %s no longer pending; not sent", invitation_id)
        return
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    context = {"invitation": invitation, "agency": invitation.agency, "link": link}
    with translation.override(invitation.agency.language):
        subject = render_to_string("agency/email/invitation_subject.txt", context).strip()
        body = render_to_string("agency/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])


@shared_task(
    base=TenantTask, bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_sign_in_link_email(self, *, agency_id: int, sign_in_link_id: int, token: str) -> None:
    """Email a client's sign-in link. Quietly does nothing once it is used or expired."""
    link = (
        SignInLink.objects.select_related("agency", "membership__user")
        .filter(pk=sign_in_link_id)
        .first()
    )
    if link is None or not link.is_usable:
        logger.info("sign-in link %s no longer usable; not sent", sign_in_link_id)
        return
    url = settings.SITE_URL.rstrip("/") + reverse("sign_in_link_confirm", args=[token])
    context = {
        "agency": link.agency,
        "link": url,
        "minutes": settings.SIGN_IN_LINK_TTL_MINUTES,
    }
    with translation.override(link.agency.language):
        subject = render_to_string("agency/email/sign_in_link_subject.txt", context).strip()
        body = render_to_string("agency/email/sign_in_link_body.txt", context)
    send_mail(subject, body, None, [link.membership.user.email])
