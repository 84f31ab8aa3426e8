"""Daily reminders to approvers of the posts waiting for them."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Post, PostState, ReviewStage
from campaigns.selectors.planning import approver_user_ids, policy_of
from campaigns.services.notify import notify

REMINDER_INTERVAL = dt.timedelta(hours=24)


@transaction.atomic
def approval_reminders_send(*, agency_id: int, now: dt.datetime | None = None) -> int:
    """Remind each brand's approvers of posts waiting for them, at most once a day per brand.
    Returns the number of brands reminded."""
    now = now or timezone.now()
    waiting = (
        Post.objects.filter(agency_id=agency_id, state=PostState.IN_REVIEW)
        .select_related("brand__agency")
        .order_by("brand_id", "scheduled_at")
    )
    by_brand: dict[int, list[Post]] = {}
    for post in waiting:
        by_brand.setdefault(post.brand_id, []).append(post)
    reminded = 0
    for posts in by_brand.values():
        brand = posts[0].brand
        policy = policy_of(brand)
        if policy.last_reminder_at and now - policy.last_reminder_at < REMINDER_INTERVAL:
            continue
        for stage in (ReviewStage.INTERNAL, ReviewStage.CLIENT):
            stage_posts = [p for p in posts if p.review_stage == stage]
            if not stage_posts:
                continue
            notify(
                agency=brand.agency,
                user_ids=approver_user_ids(brand=brand, stage=stage),
                verb="post.approval_reminder",
                message=_("%(count)s post(s) of %(brand)s await your approval.")
                % {"count": len(stage_posts), "brand": brand.name},
                url=reverse("campaigns:approvals"),
            )
        policy.last_reminder_at = now
        policy.save()
        reminded += 1
    return reminded
