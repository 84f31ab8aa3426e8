"""A brand's reply material: saved replies (per language, with variables) and the brand's reply
settings (its signature, whether a junior's replies wait for approval, whether client approvers
may reply).

A saved reply's body may name only the variables of ``engagement.services.saved_replies``;
``clean`` refuses any other, so a typing error is a form error when saving, not a reply sent
with ``{autor_name}`` in it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel
from engagement.models.outbound import MAX_REPLY_CHARS
from reputation.models.mentions import MentionLanguage

MAX_SIGNATURE_CHARS = 200
MAX_REASON_CHARS = 1000


class SavedReply(TenantModel):
    brand = models.ForeignKey(
        "clients.Brand", on_delete=models.CASCADE, related_name="saved_replies"
    )
    # "und" means any language: offered whatever the conversation's language is.
    language = models.CharField(
        _("language"), max_length=10, choices=MentionLanguage.choices, default="und"
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=MAX_REPLY_CHARS)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "brand", "language", "title"], name="saved_reply_unique_title"
            ),
        ]
        indexes = [models.Index(fields=["agency", "brand", "language"], name="saved_reply_brand")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from engagement.services.saved_replies import template_check

        template_check(self.body, field="body")


class BrandReplySettings(TenantModel):
    """One row per brand, created on first edit; no row means the defaults below."""

    brand = models.OneToOneField(
        "clients.Brand", on_delete=models.CASCADE, related_name="reply_settings"
    )
    signature = models.CharField(
        _("signature"),
        max_length=MAX_SIGNATURE_CHARS,
        blank=True,
        help_text=_("Appended to every reply sent for the brand, on its own line. Optional."),
    )
    replies_need_approval = models.BooleanField(
        _("a community manager's replies wait for a manager's approval"), default=False
    )
    clients_may_reply = models.BooleanField(
        _("the brand's client approvers may reply from the inbox"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply settings")
        verbose_name_plural = _("reply settings")

    def clean(self) -> None:
        from engagement.services.saved_replies import template_check

        template_check(self.signature, field="signature")


class ApprovalState(models.TextChoices):
    AWAITING = "awaiting", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReplyApproval(TenantModel):
    """A reply written by someone whose replies wait for a manager (the brand's
    ``replies_need_approval``). Approved, it becomes an outbox row (``action``); rejected, it
    keeps the reason the author is told. The state is a machine (engagement.states)."""

    conversation = models.ForeignKey(
        "engagement.Conversation", on_delete=models.CASCADE, related_name="reply_approvals"
    )
    target = models.ForeignKey(
        "engagement.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), max_length=MAX_REPLY_CHARS)
    state = models.CharField(
        _("state"), max_length=10, choices=ApprovalState.choices, default=ApprovalState.AWAITING
    )
    # The click's token: a double submit finds the first row.
    token = models.CharField(max_length=80)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_label = models.CharField(max_length=200, blank=True)
    rule_label = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_label = models.CharField(max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=MAX_REASON_CHARS, blank=True)
    action = models.ForeignKey(
        "engagement.OutboundAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reply awaiting approval")
        verbose_name_plural = _("replies awaiting approval")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "token"], name="reply_approval_once_per_click"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ApprovalState.values),
                name="reply_approval_state_known",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "created_at"], name="reply_approval_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.pk}"
