"""A brand's publishing policy: how its posts are approved, and its kill switch."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel


class ApprovalMode(models.TextChoices):
    NONE = "none", _("No approval")
    INTERNAL = "internal", _("Internal approval")
    INTERNAL_THEN_CLIENT = "internal_client", _("Internal, then the client")


class PublishingPolicy(TenantModel):
    """How a brand's posts are approved (and, for the publishing engine, paused)."""

    brand = models.OneToOneField(
        "clients.Brand", on_delete=models.CASCADE, related_name="publishing_policy"
    )
    approval_mode = models.CharField(
        _("approval"),
        max_length=20,
        choices=ApprovalMode.choices,
        default=ApprovalMode.INTERNAL_THEN_CLIENT,
    )
    duplicate_window_hours = models.PositiveSmallIntegerField(
        _("flag duplicates posted within (hours)"), default=72
    )
    publishing_paused = models.BooleanField(_("publishing paused"), default=False)
    last_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("publishing policy")
        verbose_name_plural = _("publishing policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approval_mode__in=ApprovalMode.values),
                name="publishing_policy_mode_known",
            )
        ]

    def __str__(self) -> str:
        return f"Policy of brand {self.brand_id}"


class ApprovalReminder(TenantModel):
    """One reminder (or escalation) sent to one person about one post waiting for a decision:
    what campaigns.services.reminders reads to escalate and to send at most one a day."""

    post = models.ForeignKey("campaigns.Post", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10)
    # 1: after 24 h, 2: after 48 h (the approvers), 3: after 72 h (the account manager).
    level = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("approval reminder")
        verbose_name_plural = _("approval reminders")
        indexes = [
            models.Index(fields=["agency", "post", "user", "sent_at"], name="reminder_per_person")
        ]

    def __str__(self) -> str:
        return f"Reminder {self.level} of post {self.post_id} to user {self.user_id}"
