"""Telling people about a post (approval requests, decisions, @mentions, reminders)."""

from django.urls import reverse

from campaigns.models import Post
from notifications.services import alert_send


def notify(*, agency, user_ids, verb: str, message: str, url: str = "") -> None:
    """Tell people through the one alert path, each by the channel they chose for this kind
    (approval and comment alerts are in the app and emailed at once unless they chose else)."""
    alert_send(agency=agency, recipients=user_ids, kind=verb, message=message, url=url)


def post_url(post: Post) -> str:
    """The post's page in the dashboard (a path; the e-mail adds the site's address)."""
    return reverse("campaigns:post_detail", kwargs={"post_id": post.pk})


def notify_about_post(post: Post, *, user_ids, verb: str, message: str) -> None:
    """`notify()` with the post's agency, and its page as the link."""
    notify(
        agency=post.brand.agency, user_ids=user_ids, verb=verb, message=message, url=post_url(post)
    )
