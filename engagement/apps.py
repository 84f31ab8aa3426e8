from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    """The inbox: conversations from comments, mentions, direct messages and reviews
    (docs/inbox.md)."""

    name = "engagement"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        # reputation stands below engagement and may not import it: it hands the items it
        # read from the brands' own accounts to the handler registered here.
        from engagement.services.ingest import owned_items_store
        from reputation import owned_items

        owned_items.owned_items_handler_register(owned_items_store)
