"""Mention triage by people: correct the sentiment, tag, assign, mark reviewed. Each service
takes the actor, checks its permission, runs in one transaction and records an audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import Membership
from agency.services.audit import actor_label, audit_record
from notifications.models import AlertKind
from notifications.services import alert_send
from reputation.models.mentions import Mention, SentimentCorrection, SentimentLabel
from reputation.sentiment.lexicon import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD
from reputation.services.inputs import Actor, words
from reputation.services.rollups import rollups_recompute

MAX_TAGS = 20
MAX_TAG_CHARS = 40


@transaction.atomic
def mention_correct_sentiment(*, actor: Actor, mention: Mention, label: str) -> Mention:
    """Set a mention's sentiment by hand. The analyser's verdict is kept in a
    SentimentCorrection (to measure the analyser) and the hour's rollup is recomputed."""
    permissions.require(actor, permissions.MENTIONS_TRIAGE)
    if label not in SentimentLabel.values:
        raise ValidationError({"label": _("Choose positive, neutral or negative.")})
    if label == mention.sentiment_label and mention.sentiment_corrected:
        return mention
    SentimentCorrection.objects.create(
        agency_id=mention.agency_id,
        mention=mention,
        text=f"{mention.title}. {mention.text}" if mention.title else mention.text,
        language=mention.language,
        previous_label=mention.sentiment_label,
        previous_score=mention.sentiment_score,
        label=label,
        corrected_by=actor.user if isinstance(actor, Membership) else None,
    )
    mention.sentiment_label = label
    mention.sentiment_score = {
        "positive": max(mention.sentiment_score, POSITIVE_THRESHOLD, 0.5),
        "negative": min(mention.sentiment_score, NEGATIVE_THRESHOLD, -0.5),
        "neutral": 0.0,
    }[label]
    mention.sentiment_corrected = True
    mention.save(update_fields=["sentiment_label", "sentiment_score", "sentiment_corrected"])
    rollups_recompute(
        agency_id=mention.agency_id,
        brand_ids=[mention.brand_id],
        since=mention.published_at,
        until=mention.published_at,
    )
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="mention.sentiment_corrected",
        target=mention,
        data={"label": label},
    )
    return mention


def _clean_tags(tags) -> list[str]:
    cleaned: list[str] = []
    for tag in words(tags):
        tag = tag[:MAX_TAG_CHARS]
        if tag.lower() not in {t.lower() for t in cleaned}:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(max)d tags.") % {"max": MAX_TAGS}})
    return cleaned


@transaction.atomic
def mention_triage(
    *,
    actor: Actor,
    mention: Mention,
    tags=None,
    assigned_to_id: int | None | str = "",
    reviewed: bool | None = None,
) -> Mention:
    """Tag, assign (to a member of the agency; None to unassign) or mark reviewed.
    Arguments left out do not change. A new owner is alerted (their preferences choose the app
    or e-mail), unless they took the mention themselves."""
    permissions.require(actor, permissions.MENTIONS_TRIAGE)
    changed = []
    newly_assigned: int | None = None
    if tags is not None:
        mention.tags = _clean_tags(tags)
        changed.append("tags")
    if assigned_to_id != "":
        if assigned_to_id is not None:
            member = Membership.objects.filter(user_id=assigned_to_id).exclude(
                role__in=["client_approver", "client_viewer"]
            )
            if not member.exists():
                raise ValidationError(
                    {"assigned_to": _("Assign the mention to a member of the agency team.")}
                )
        if assigned_to_id is not None and assigned_to_id != mention.assigned_to_id:
            newly_assigned = int(assigned_to_id)
        mention.assigned_to_id = assigned_to_id
        changed.append("assigned_to")
    if reviewed is not None:
        mention.reviewed = bool(reviewed)
        changed.append("reviewed")
    if changed:
        mention.save(update_fields=changed)
        audit_record(
            agency=actor.agency,
            actor=actor,
            verb="mention.triaged",
            target=mention,
            data={"fields": changed},
        )
    if newly_assigned is not None and newly_assigned != getattr(actor, "user_id", None):
        _alert_assignee(actor=actor, mention=mention, user_id=newly_assigned)
    return mention


def _alert_assignee(*, actor: Actor, mention: Mention, user_id: int) -> None:
    # The link opens the stream on the assignee's own mentions of that brand, newest first,
    # at the mention's row: the stream has no page per mention.
    query = urlencode({"brand": mention.brand_id, "assigned_to": user_id})
    who = str(actor.user) if isinstance(actor, Membership) else actor_label(actor)
    alert_send(
        agency=actor.agency,
        recipients=[user_id],
        kind=AlertKind.MENTION_ASSIGNED,
        message=_("%(who)s assigned you a mention of %(brand)s: %(preview)s")
        % {
            "who": who,
            "brand": mention.brand.name,
            "preview": (mention.title or mention.text)[:120],
        },
        url=f"{reverse('listening:mentions')}?{query}#mention-{mention.pk}",
    )
