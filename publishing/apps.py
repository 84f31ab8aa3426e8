from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    """The publishing engine: dispatcher, publish worker, outcomes, reaper, kill switches,
    metric collection, the queue page and /health/ (docs/publishing.md)."""

    name = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        # campaigns may not import the engine; it reaches it through the hooks it offers.
        from campaigns import engine_hooks
        from publishing.cancel import post_publishing_cancel

        engine_hooks.started_post_cancel_register(post_publishing_cancel)
