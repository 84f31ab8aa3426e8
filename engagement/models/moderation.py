"""A brand's moderation rules (its ethics rules) and its VIP and blocked authors.

A rule is a set of conditions, combined with "all" or "any", and a list of actions. The rules
of a brand run in ``position`` order on every new inbound message (never on a first read's old
items); every rule that matches applies (engagement.services.moderation). A condition is in
use when it is set: an empty list, a blank field or an unticked box is no condition, and a
rule needs at least one (the service refuses an empty rule, it would match everything).

The conditions are columns rather than a free JSON document so that the form, the API and the
database all say what a rule may hold; a new kind of condition is a migration, on purpose.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel

MAX_RULE_NAME_CHARS = 120


class MatchMode(models.TextChoices):
    ALL = "all", _("All conditions")
    ANY = "any", _("Any condition")


class RuleAction(models.TextChoices):
    HIDE = "hide", _("Hide the message")
    DELETE = "delete", _("Delete the message")
    ASSIGN = "assign", _("Assign the conversation")
    LABEL = "label", _("Add a label")
    PRIORITY = "priority", _("Set the priority")
    CLOSE = "close", _("Close the conversation")
    REPLY = "reply", _("Reply with a saved reply")
    NOTIFY = "notify", _("Notify someone")
    WEBHOOK = "webhook", _("Send a webhook event")


class AuthorList(models.TextChoices):
    VIP = "vip", _("VIP")
    BLOCKED = "blocked", _("Blocked")


class ModerationRule(TenantModel):
    brand = models.ForeignKey(
        "clients.Brand", on_delete=models.CASCADE, related_name="moderation_rules"
    )
    name = models.CharField(_("name"), max_length=MAX_RULE_NAME_CHARS)
    position = models.PositiveIntegerField(_("position"), default=0)
    enabled = models.BooleanField(_("switched on"), default=False)
    match = models.CharField(
        _("match"), max_length=3, choices=MatchMode.choices, default=MatchMode.ALL
    )

    # --- Conditions (each one in use when set) ---
    expression = models.TextField(_("keywords"), max_length=2000, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    sentiments = models.JSONField(_("sentiments"), default=list, blank=True)
    abuse_label = models.CharField(_("abuse category"), max_length=20, blank=True)
    abuse_min_score = models.FloatField(_("minimum abuse score"), default=0.5)
    kinds = models.JSONField(_("item types"), default=list, blank=True)
    networks = models.JSONField(_("networks"), default=list, blank=True)
    has_link = models.BooleanField(_("contains a link"), default=False)
    has_email = models.BooleanField(_("contains an e-mail address"), default=False)
    has_phone = models.BooleanField(_("contains a phone number"), default=False)
    min_words = models.PositiveIntegerField(_("at least this many words"), null=True, blank=True)
    max_words = models.PositiveIntegerField(_("at most this many words"), null=True, blank=True)
    author_list = models.CharField(
        _("author on the brand's list"), max_length=10, choices=AuthorList.choices, blank=True
    )
    min_followers = models.PositiveBigIntegerField(
        _("author has at least this many followers"), null=True, blank=True
    )
    first_message = models.BooleanField(_("first message from this author"), default=False)

    # --- Actions ---
    actions = models.JSONField(_("actions"), default=list, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assign to"),
    )
    label = models.ForeignKey(
        "engagement.Label",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("label"),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    saved_reply = models.ForeignKey(
        "engagement.SavedReply",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("saved reply"),
    )
    notify_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("notify"),
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("moderation rule")
        verbose_name_plural = _("moderation rules")
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["agency", "brand", "position"], name="moderation_rule_order")
        ]

    def __str__(self) -> str:
        return self.name


class BrandAuthor(TenantModel):
    """An author on a brand's VIP or blocked list, by network and handle (folded: lower case,
    without "@"). One list per author and brand: a VIP cannot also be blocked."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    list = models.CharField(_("list"), max_length=10, choices=AuthorList.choices)
    network = models.CharField(_("network"), max_length=20)
    handle = models.CharField(_("handle"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("listed author")
        verbose_name_plural = _("listed authors")
        ordering = ["list", "network", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "brand", "network", "handle"], name="brand_author_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(list__in=AuthorList.values), name="brand_author_list_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handle} ({self.get_list_display()})"


def handle_key(handle: str) -> str:
    """How handles are compared: without the leading "@", in lower case."""
    return handle.strip().lstrip("@").lower()
