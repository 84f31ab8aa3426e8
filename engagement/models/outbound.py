"""The outbox: what the brand does on the network from the inbox (reply, hide, unhide, delete,
like, unlike, private reply).

One row per click: the form carries a token, stored as ``idempotency_key`` (unique per
agency), so a double submit finds the first row instead of making a second. The row's state
is a state machine (engagement.states): queued -> sending -> done / failed / unknown; an
unknown outcome is settled by asking the network (done) or queued again (resent with the
same key). ``call_started_at`` is set, by one conditional update, just before the network is
called: a row found ``sending`` without it was never sent and is safe to send again.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel

MAX_REPLY_CHARS = 5000


class ActionKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    HIDE = "hide", _("Hide")
    UNHIDE = "unhide", _("Unhide")
    DELETE = "delete", _("Delete")
    LIKE = "like", _("Like")
    UNLIKE = "unlike", _("Unlike")
    PRIVATE_REPLY = "private_reply", _("Private reply")


class ActionState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Sent")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Being checked with the network")


class OutboundAction(TenantModel):
    conversation = models.ForeignKey(
        "engagement.Conversation", on_delete=models.CASCADE, related_name="actions"
    )
    # The message it acts on: the one replied to, hidden, deleted.
    target = models.ForeignKey(
        "engagement.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("action"), max_length=20, choices=ActionKind.choices)
    text = models.TextField(_("text"), max_length=MAX_REPLY_CHARS, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ActionState.choices, default=ActionState.QUEUED
    )
    idempotency_key = models.CharField(max_length=80)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_label = models.CharField(max_length=200, blank=True)
    # The moderation rule that asked for it (rules land in engagement later: its name for now).
    rule_label = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    call_started_at = models.DateTimeField(null=True, blank=True)
    # When a send ended without an answer: the lookup counts only replies made after it.
    first_sent_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=500, blank=True)
    # The reply, once sent: the outbound message of the thread (one row, also when read back).
    message = models.ForeignKey(
        "engagement.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbound action")
        verbose_name_plural = _("outbound actions")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "idempotency_key"], name="outbound_action_once_per_click"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ActionState.values),
                name="outbound_action_state_known",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ActionKind.values),
                name="outbound_action_kind_known",
            ),
            # Meta allows one private reply per comment: one row per comment, ever (a failed
            # one is sent again from its row, never by a second row).
            models.UniqueConstraint(
                fields=["agency", "target"],
                condition=models.Q(kind="private_reply"),
                name="outbound_action_one_private_reply",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "conversation", "created_at"], name="action_thread"),
            models.Index(fields=["state", "lease_until"], name="action_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
