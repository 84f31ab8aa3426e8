"""Client users' e-mailed sign-in links (agency/services/sign_in_links.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.models import Membership
from agency.tenancy import TenantModel


class SignInLink(TenantModel):
    """A single-use, expiring sign-in link e-mailed to a client user (a "magic link").

    Only a SHA-256 of the token is stored; the token travels in the e-mailed link. Opening the
    link shows a confirmation page; only its POST signs in and spends the link (`used_at`).
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    requested_from = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        indexes = [models.Index(fields=["agency", "-created_at"], name="sign_in_link_recent")]

    def __str__(self) -> str:
        return f"sign-in link #{self.pk}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
