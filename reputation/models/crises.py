"""Crises: a brand's rule, its incidents, the mentions behind them and their timeline.

Detection is in reputation.crisis_stats (pure) and reputation.services.crisis_evaluation; the
incident's state machine is in reputation.states.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.tenancy import TenantModel
from reputation.models.mentions import Mention


class CrisisRule(TenantModel):
    """A brand's crisis rule: each condition on or off, the thresholds that matter most.

    Defaults are the measured ones (docs/performance.md, "Crisis detection"); a brand without a
    saved rule uses them. ``params()`` turns the row into crisis_stats.RuleParams.
    """

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(_("detect crises for this brand"), default=True)
    volume_enabled = models.BooleanField(_("surge of all mentions"), default=True)
    negative_volume_enabled = models.BooleanField(_("surge of negative mentions"), default=True)
    negative_share_enabled = models.BooleanField(_("share of negative mentions"), default=True)
    trigger_words_enabled = models.BooleanField(_("trigger words"), default=True)
    high_reach_enabled = models.BooleanField(
        _("negative mention by a large audience"), default=True
    )
    p_value = models.FloatField(_("significance (tail probability)"), default=1e-4)
    min_volume_short = models.PositiveIntegerField(
        _("minimum negative mentions in an hour"), default=6
    )
    share_floor = models.FloatField(_("negative share floor"), default=0.6)
    share_jump = models.FloatField(_("negative share jump"), default=0.1)
    trigger_min_mentions = models.PositiveIntegerField(
        _("negative mentions with a trigger word in an hour"), default=3
    )
    extra_trigger_words = models.JSONField(_("extra trigger words"), default=list, blank=True)
    high_reach_followers = models.PositiveBigIntegerField(
        _("large audience from (followers)"), default=100_000
    )
    cooldown_hours = models.PositiveIntegerField(_("cooldown (hours)"), default=6)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("crisis rule")
        verbose_name_plural = _("crisis rules")
        constraints = [
            models.UniqueConstraint(fields=["agency", "brand"], name="crisis_rule_one_per_brand")
        ]

    def params(self):
        from datetime import timedelta

        from reputation.crisis_stats.rules import RuleParams

        return RuleParams(
            volume_enabled=self.volume_enabled,
            negative_volume_enabled=self.negative_volume_enabled,
            negative_share_enabled=self.negative_share_enabled,
            trigger_words_enabled=self.trigger_words_enabled,
            high_reach_enabled=self.high_reach_enabled,
            p_value=self.p_value,
            min_volume_short=self.min_volume_short,
            share_floor=self.share_floor,
            share_jump=self.share_jump,
            trigger_min_mentions=self.trigger_min_mentions,
            extra_trigger_words=tuple(self.extra_trigger_words or ()),
            high_reach_followers=self.high_reach_followers,
            cooldown=timedelta(hours=self.cooldown_hours),
        )


class CrisisCause(models.TextChoices):
    VOLUME = "volume", _("Surge of mentions")
    NEGATIVE = "negative", _("Negative surge")
    TRIGGER_WORDS = "trigger_words", _("Trigger words")
    HIGH_REACH = "high_reach", _("Negative mention with a large audience")


class CrisisSeverity(models.TextChoices):
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class CrisisState(models.TextChoices):
    OPEN = "open", pgettext_lazy("incident state", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class CrisisIncident(TenantModel):
    """A crisis of one brand, for one cause; updated as it grows, never duplicated while open."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    cause = models.CharField(_("cause"), max_length=20, choices=CrisisCause.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=CrisisSeverity.choices)
    state = models.CharField(
        _("state"), max_length=14, choices=CrisisState.choices, default=CrisisState.OPEN
    )
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    mention_count = models.PositiveIntegerField(_("mentions"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    summary = models.TextField(_("closing summary"), blank=True, max_length=5000)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    last_signal_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolve_suggested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("crisis incident")
        verbose_name_plural = _("crisis incidents")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "brand", "cause"],
                condition=~models.Q(state="resolved"),
                name="crisis_one_open_per_brand_cause",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "acknowledged", "resolved"]),
                name="crisis_state_known",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "-opened_at"], name="crisis_recent"),
            models.Index(fields=["agency", "brand", "-opened_at"], name="crisis_brand_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_cause_display()} · {self.brand_id}"

    @property
    def is_open(self) -> bool:
        return self.state != CrisisState.RESOLVED


class CrisisIncidentMention(TenantModel):
    """A mention behind an incident (an explicit table, so that it carries ``agency``)."""

    incident = models.ForeignKey(
        CrisisIncident, on_delete=models.CASCADE, related_name="incident_mentions"
    )
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "incident", "mention"], name="crisis_mention_unique"
            )
        ]


class IncidentEventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    UPDATED = "updated", _("Grew")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSIGNED = "assigned", _("Assigned")
    NOTE = "note", _("Note")
    RESOLVE_SUGGESTED = "resolve_suggested", _("Back to normal")
    RESOLVED = "resolved", _("Resolved")


class IncidentEvent(TenantModel):
    """The incident's timeline: state changes, growth, notes. Written by services only."""

    incident = models.ForeignKey(CrisisIncident, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=IncidentEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True, max_length=5000)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "incident", "created_at"], name="incident_timeline")
        ]
