"""Tenancy tasks: thin wrappers that take ids and call one service."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from agency.models import Invitation
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
