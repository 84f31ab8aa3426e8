"""The notification centre's data: one row per alert to one person, and each person's choices.

The tables kept the names they had under `agency` (agency_notification,
agency_notificationpreference): the models moved, the data did not.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.models import User
from agency.tenancy import TenantModel


class AlertChannel(models.TextChoices):
    IN_APP = "in_app", _("In the app only")
    EMAIL_IMMEDIATE = "email_immediate", _("In the app and by email at once")
    EMAIL_DIGEST = "email_digest", _("In the app and in the daily email digest")
    OFF = "off", _("Off")


class AlertKind(models.TextChoices):
    """Every kind of alert the product sends; each person can tune each one.

    `notifications.services.alert_send` refuses a kind that is not listed here, so no alert
    can bypass the preferences. The value is the Notification's `verb`.
    """

    CRISIS_OPENED = "crisis.opened", _("A crisis is opened")
    CRISIS_UPDATED = "crisis.updated", _("A crisis grows")
    CRISIS_RESOLVED = "crisis.resolved", _("A crisis is resolved")
    POST_AWAITING_APPROVAL = "post.awaiting_approval", _("A post awaits your approval")
    POST_APPROVAL_REMINDER = "post.approval_reminder", _("A reminder of posts awaiting approval")
    POST_CHANGES_REQUESTED = "post.changes_requested", _("Changes are requested on a post")
    POST_APPROVED = "post.approved", _("A post is approved")
    POST_REJECTED = "post.rejected", _("A post or one of its networks is rejected")
    POST_APPROVAL_ESCALATED = (
        "post.approval_escalated",
        _("A post still awaits the client's decision after reminders"),
    )
    POST_HELD = "post.held", _("An approved post is put on hold")
    POST_RELEASED = "post.released", _("A post on hold is released")
    POST_COMMENTED = "post.commented", _("A client comments on a post")
    POST_MENTIONED = "post.mentioned", _("You are mentioned in a comment")
    POST_FAILED = "post.failed", _("A post could not be published")
    POST_NEEDS_ATTENTION = "post.needs_attention", _("A publication needs checking")
    ACCOUNT_NEEDS_RECONNECT = (
        "social_account.needs_reconnect",
        _("A social account must be reconnected"),
    )
    SOCIAL_ACCOUNT_CONNECTED_BY_CLIENT = (
        "social_account.connected_by_client",
        _("A client connects a brand's account through a connection link"),
    )
    WEBHOOK_DISABLED = "webhook.disabled", _("A webhook endpoint is turned off")
    CONVERSATION_ASSIGNED = "conversation.assigned", _("A conversation is assigned to you")
    CONVERSATION_MESSAGE = (
        "conversation.message",
        _("A new message in a conversation assigned to you"),
    )
    CONVERSATION_SLA_BREACHED = (
        "conversation.sla_breached",
        _("A conversation waited longer than its response-time target"),
    )
    MODERATION_RULE_MATCHED = (
        "moderation.rule_matched",
        _("A moderation rule asks for your attention"),
    )
    REPLY_AWAITING_APPROVAL = (
        "conversation.reply_awaiting_approval",
        _("A reply awaits your approval"),
    )
    REPLY_DECIDED = "conversation.reply_decided", _("Your reply is approved or rejected")
    MENTION_ASSIGNED = "mention.assigned", _("A mention is assigned to you")
    NETWORK_API_RETIRING = (
        "network.api_retiring",
        _("A network retires the API version the agency's accounts use"),
    )


# What a person who chose nothing gets. The approval and publishing kinds have always been
# emailed at once; an account to reconnect has always been shown in the app only.
DEFAULT_ALERT_CHANNELS = {
    AlertKind.CRISIS_OPENED: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.CRISIS_UPDATED: AlertChannel.IN_APP,
    AlertKind.CRISIS_RESOLVED: AlertChannel.EMAIL_DIGEST,
    AlertKind.POST_AWAITING_APPROVAL: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.POST_APPROVAL_REMINDER: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.POST_CHANGES_REQUESTED: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.POST_APPROVED: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.POST_REJECTED: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.POST_APPROVAL_ESCALATED: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.POST_HELD: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.POST_RELEASED: AlertChannel.IN_APP,
    AlertKind.POST_COMMENTED: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.POST_MENTIONED: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.POST_FAILED: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.POST_NEEDS_ATTENTION: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.ACCOUNT_NEEDS_RECONNECT: AlertChannel.IN_APP,
    AlertKind.SOCIAL_ACCOUNT_CONNECTED_BY_CLIENT: AlertChannel.IN_APP,
    AlertKind.WEBHOOK_DISABLED: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.CONVERSATION_ASSIGNED: AlertChannel.IN_APP,
    AlertKind.CONVERSATION_MESSAGE: AlertChannel.IN_APP,
    AlertKind.CONVERSATION_SLA_BREACHED: AlertChannel.EMAIL_IMMEDIATE,
    AlertKind.MODERATION_RULE_MATCHED: AlertChannel.IN_APP,
    AlertKind.REPLY_AWAITING_APPROVAL: AlertChannel.IN_APP,
    AlertKind.REPLY_DECIDED: AlertChannel.IN_APP,
    AlertKind.MENTION_ASSIGNED: AlertChannel.IN_APP,
    AlertKind.NETWORK_API_RETIRING: AlertChannel.EMAIL_IMMEDIATE,
}


class AlertSeverity(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class EmailState(models.TextChoices):
    """Where a notification's email is: none, queued at once, waiting for the digest, sent."""

    NONE = "", _("No email")
    IMMEDIATE = "immediate", _("Queued")
    DIGEST = "digest", _("Waiting for the digest")
    SENT = "sent", _("Sent")


class Notification(TenantModel):
    """An in-app message to one person of an agency (the notification centre reads these)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(max_length=64)
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    severity = models.CharField(max_length=10, default=AlertSeverity.NORMAL)
    email_state = models.CharField(max_length=10, blank=True, default=EmailState.NONE)

    class Meta:
        db_table = "agency_notification"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["agency", "recipient", "read_at", "-created_at"],
                name="notification_inbox",
            )
        ]

    def __str__(self) -> str:
        return f"{self.verb} for {self.recipient_id}"


class NotificationPreference(TenantModel):
    """One person's alert settings in one agency: a channel per kind, quiet hours (in the
    agency's time zone; critical alerts ignore them) and the hour of the daily digest."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    channels = models.JSONField(default=dict, blank=True)
    quiet_hours_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    digest_hour = models.PositiveSmallIntegerField(_("digest sent at (hour)"), default=8)

    class Meta:
        db_table = "agency_notificationpreference"
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "user"], name="notification_preference_one_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(digest_hour__lte=23), name="notification_digest_hour_valid"
            ),
        ]

    def channel_for(self, kind: str) -> str:
        return self.channels.get(kind) or DEFAULT_ALERT_CHANNELS.get(kind, AlertChannel.IN_APP)

    def in_quiet_hours(self, local_time) -> bool:
        start, end = self.quiet_hours_start, self.quiet_hours_end
        if start is None or end is None or start == end:
            return False
        if start < end:
            return start <= local_time < end
        return local_time >= start or local_time < end  # across midnight, e.g. 22:00-07:00
