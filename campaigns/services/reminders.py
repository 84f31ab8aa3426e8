"""Reminders that escalate, for the posts waiting for a decision (docs/campaigns.md).

The clock of a post is the time it started waiting at its current stage (`Post.awaiting_since`:
its submission, or the team's approval that handed it to the client). After 24 hours its
approvers at that stage are reminded (level 1), after 48 hours again (level 2), after 72 hours
the post is escalated to its account manager (level 3): at the client stage the post's author
when still on the team, else the agency's owners and admins; at the internal stage the owners
and admins. Each level reaches each person once per waiting round, nobody hears about the same
post more than once a day, and it all stops when the post is decided (it is no longer in
review) or goes back to the author. Each sending is an `ApprovalReminder` row.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency.models import Membership, Role
from campaigns.models import ApprovalReminder, Post, PostState, ReviewStage
from campaigns.selectors.planning import approver_user_ids
from campaigns.services.notify import notify_about_post

REMINDER_INTERVAL = dt.timedelta(hours=24)
# The waiting time after which each level is due.
LEVELS = {1: dt.timedelta(hours=24), 2: dt.timedelta(hours=48), 3: dt.timedelta(hours=72)}


def due_level(waited: dt.timedelta) -> int:
    """The highest level due after waiting ``waited`` (0: none yet)."""
    return max((level for level, after in LEVELS.items() if waited >= after), default=0)


def _admins(agency_id: int) -> list[int]:
    return list(
        Membership.objects.filter(
            agency_id=agency_id, role__in=[Role.OWNER, Role.ADMIN]
        ).values_list("user_id", flat=True)
    )


def account_manager_ids(post: Post) -> list[int]:
    """Who hears when a post still waits after the approvers' two reminders: at the client
    stage the post's author while they are on the agency's team (the person who answers for it
    to the client), else the agency's owners and admins."""
    if post.review_stage == ReviewStage.CLIENT and post.author_id:
        author = Membership.objects.filter(agency_id=post.agency_id, user_id=post.author_id).first()
        if author is not None and not author.is_client:
            return [post.author_id]
    return _admins(post.agency_id)


def _recipients(post: Post, level: int) -> list[int]:
    if level == 3:
        return account_manager_ids(post)
    return approver_user_ids(brand=post.brand, stage=post.review_stage or ReviewStage.INTERNAL)


def _message(post: Post, level: int, waited: dt.timedelta) -> tuple[str, str]:
    hours = int(waited.total_seconds() // 3600)
    values = {"brand": post.brand.name, "post": post, "hours": hours}
    if level == 3:
        return "post.approval_escalated", _(
            "Still no decision after %(hours)s hours on a post of %(brand)s: %(post)s"
        ) % values
    return "post.approval_reminder", _(
        "A post of %(brand)s has awaited your decision for %(hours)s hours: %(post)s"
    ) % values


def _post_remind(post: Post, now: dt.datetime) -> int:
    since = post.awaiting_since or post.submitted_at or post.updated_at
    waited = now - since
    level = due_level(waited)
    if not level:
        return 0
    sent = list(
        ApprovalReminder.objects.filter(
            agency_id=post.agency_id, post=post, sent_at__gte=since
        ).values_list("user_id", "level", "sent_at")
    )
    already = {(user_id, lvl) for user_id, lvl, _at in sent}
    recent = {user_id for user_id, _lvl, at in sent if now - at < REMINDER_INTERVAL}
    recipients = [
        uid
        for uid in dict.fromkeys(_recipients(post, level))
        if (uid, level) not in already and uid not in recent
    ]
    if not recipients:
        return 0
    verb, message = _message(post, level, waited)
    notify_about_post(post, user_ids=recipients, verb=verb, message=message)
    ApprovalReminder.objects.bulk_create(
        ApprovalReminder(
            agency_id=post.agency_id,
            post=post,
            user_id=uid,
            stage=post.review_stage,
            level=level,
            sent_at=now,
        )
        for uid in recipients
    )
    return len(recipients)


@transaction.atomic
def approval_reminders_send(*, agency_id: int, now: dt.datetime | None = None) -> int:
    """Remind (and escalate) about every post of the agency waiting for a decision, by the
    ladder above. Returns the number of reminders sent (one per person and post)."""
    now = now or timezone.now()
    waiting = (
        Post.objects.filter(agency_id=agency_id, state=PostState.IN_REVIEW)
        .select_related("brand__agency")
        .order_by("id")
    )
    return sum(_post_remind(post, now) for post in waiting)
