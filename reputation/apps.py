from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReputationConfig(AppConfig):
    # Listening, mentions, crises and the inbox arrive with their own issues.
    name = "reputation"
    verbose_name = _("Reputation")

    def ready(self):
        # Crisis evaluation listens to mentions_ingested and registers its tasks.
        from reputation import crisis_tasks  # noqa: F401
