"""Connection links: what an agency sends a client so that they connect the brand's own social
accounts without an agency account (docs/client-portal.md, "Connection links")."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel
from clients.models import Brand, SocialAccount
from networks.registry import NETWORK_CHOICES


class ConnectionLink(TenantModel):
    """A link to connect one brand's accounts, each network once, until it expires or is
    revoked. Only a SHA-256 of the token is stored; the token is shown once, on creation."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="connection_links")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("for"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        "agency.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("connection link")
        verbose_name_plural = _("connection links")
        indexes = [
            models.Index(fields=["agency", "brand", "-created_at"], name="connection_link_recent")
        ]

    def __str__(self) -> str:
        return f"connection link #{self.pk}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"


class ConnectionLinkUse(TenantModel):
    """One network connected through a link: a link connects each network once."""

    link = models.ForeignKey(ConnectionLink, on_delete=models.CASCADE, related_name="uses")
    network = models.CharField(_("network"), max_length=20, choices=NETWORK_CHOICES)
    social_account = models.ForeignKey(
        SocialAccount, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("connection link use")
        verbose_name_plural = _("connection link uses")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "link", "network"], name="connection_link_once_per_network"
            )
        ]
