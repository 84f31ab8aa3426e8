"""Links for people without an account: approval pages and ICS feeds."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel


class ShareLinkKind(models.TextChoices):
    APPROVAL = "approval", _("Approval link")
    CALENDAR = "calendar", _("Calendar feed (ICS)")


class ShareLink(TenantModel):
    """A revocable link to one brand: the approval page for clients who do not log in, or the
    brand's ICS feed. The URL carries a signed token of this row's id (django.core.signing);
    the row says whether it is still valid (expiry, revocation)."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ShareLinkKind.choices)
    label = models.CharField(_("for whom"), max_length=120, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}".strip()

    @property
    def is_active(self) -> bool:
        if self.revoked_at:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
