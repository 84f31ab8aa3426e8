from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    # Campaigns, ideas, posts, calendar, approvals; the engine that publishes is `publishing`.
    name = "campaigns"
    verbose_name = _("Campaigns")
