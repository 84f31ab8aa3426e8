from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """Metrics of posts and accounts, and the analytics pages (docs/analytics.md)."""

    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # clients stands below analytics and may not import it: the account page asks the
        # notes registered here (when metrics were last collected, the last failure).
        from analytics.selectors.collection import collection_notes
        from clients import account_notes

        account_notes.account_notes_register(collection_notes)
