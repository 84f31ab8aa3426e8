from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    """The publishing engine: dispatcher, publish worker, outcomes, reaper, kill switches,
    metric collection, the queue page and /health/ (docs/publishing.md)."""

    name = "publishing"
    verbose_name = _("Publishing")

    def ready(self) -> None:
        # campaigns and reputation may not import the engine; they reach it through the hooks
        # they offer.
        from campaigns import engine_hooks
        from publishing.cancel import post_publishing_cancel
        from publishing.selectors import published_among, published_post_ids
        from reputation import owned_posts

        engine_hooks.started_post_cancel_register(post_publishing_cancel)
        owned_posts.published_post_ids_register(published_post_ids)
        owned_posts.published_among_register(published_among)
