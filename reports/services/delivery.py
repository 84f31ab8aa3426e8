"""E-mailing a finished report: one message per recipient (no one sees the others' addresses),
in the report's language, from the agency's name, with the PDF attached and the signed link
to the web version."""

from __future__ import annotations

import datetime as dt
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from analytics.periods import Period
from reports.models import ReportRun
from reports.selectors.runs import run_web_url


def pdf_filename(run: ReportRun) -> str:
    return f"{slugify(run.brand.name) or 'report'}-{run.period_start}-{run.period_end}.pdf"


def run_email_send(run: ReportRun, pdf: bytes, *, link_expires_at: dt.datetime) -> int:
    """Send the report to each of the run's recipients; returns how many messages went. An
    SMTP failure raises (the run fails with it and may be retried)."""
    agency = run.brand.agency
    with translation.override(run.language):
        context = {
            "brand": run.brand,
            "agency": agency,
            "period_label": Period(run.period_start, run.period_end).label(),
            "link": run_web_url(run),
            "expires": timezone.localtime(link_expires_at),
        }
        subject = render_to_string("reports/email/run_subject.txt", context).strip()
        body = render_to_string("reports/email/run_body.txt", context)
    sender = formataddr((agency.name, _address_of(settings.DEFAULT_FROM_EMAIL)))
    messages = []
    for recipient in run.recipients:
        message = EmailMessage(subject, body, sender, [recipient])
        message.attach(pdf_filename(run), pdf, "application/pdf")
        messages.append(message)
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def _address_of(value: str) -> str:
    """The bare address of "Name <address>" (the agency's name replaces the product's)."""
    if "<" in value and value.endswith(">"):
        return value.rsplit("<", 1)[1][:-1]
    return value
