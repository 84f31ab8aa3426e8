from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The client's own space, in the agency's branding (docs/client-portal.md)."""

    name = "portal"
    verbose_name = _("Client portal")
