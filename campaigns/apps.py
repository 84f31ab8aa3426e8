from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    # Campaigns, posts, calendar, approvals and publishing arrive with their own issues.
    name = "campaigns"
    verbose_name = _("Campaigns")
