"""A brand's publishing policy: how its posts are approved, and its kill switch."""

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
