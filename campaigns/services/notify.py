"""Telling people about a post (approval requests, decisions, @mentions, reminders)."""

from django.db import transaction
from django.urls import reverse

from agency.models import User
from campaigns.models import Post


def notify(*, agency, user_ids, verb: str, message: str, url: str = "") -> None:
    """Tell people in the app and by email, through the notification centre.

    `alert_send` honours a channel the person chose for this verb (off, in-app, immediate
    email, digest, quiet hours). Campaign verbs are not yet among the centre's tunable kinds,
    so a person who chose nothing for them gets the email at once, after the commit.
    """
    from agency.services import alert_send, notification_preference_for

    user_ids = sorted(set(uid for uid in user_ids if uid))
    if not user_ids:
        return
    notifications = alert_send(
        agency=agency,
        recipients=User.objects.filter(pk__in=user_ids),
        kind=verb,
        message=message,
        url=url,
    )
    by_default = [
        n.pk
        for n in notifications
        if not n.email_state
        and verb
        not in notification_preference_for(agency_id=agency.pk, user_id=n.recipient_id).channels
    ]
    if by_default:
        from campaigns.tasks import send_notification_emails

        transaction.on_commit(
            lambda: send_notification_emails.delay(agency_id=agency.pk, notification_ids=by_default)
        )


def post_url(post: Post) -> str:
    """The post's page in the dashboard (a path; the e-mail adds the site's address)."""
    return reverse("campaigns:post_detail", kwargs={"post_id": post.pk})


def notify_about_post(post: Post, *, user_ids, verb: str, message: str) -> None:
    """`notify()` with the post's agency, and its page as the link."""
    notify(
        agency=post.brand.agency, user_ids=user_ids, verb=verb, message=message, url=post_url(post)
    )
