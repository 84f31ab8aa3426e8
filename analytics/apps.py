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

        # The brand page's panels beside the posts' figures: listening, e-reputation, share of
        # voice, crises and the inbox's response times (analytics/listening_panels.py).
        from analytics import panels
        from analytics.listening_panels import BESIDE_POSTS_TEMPLATE, brand_panel_context

        if not any(p.template == BESIDE_POSTS_TEMPLATE for p in panels.PANELS):
            panels.PANELS.append(panels.Panel(BESIDE_POSTS_TEMPLATE, brand_panel_context))
