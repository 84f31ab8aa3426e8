from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReputationConfig(AppConfig):
    # Listening, mentions, crises and the inbox arrive with their own issues.
    name = "reputation"
    verbose_name = _("Reputation")
