"""The sections a report may hold, by key: the one list a template's ``sections`` is checked
against. The builders and partials of each key are in reports/sections/ (its registry holds
one entry per key, and a test keeps the two in step); this module stays free of them so the
models can import it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SectionKey(models.TextChoices):
    COVER = "cover", _("Cover")
    SUMMARY = "summary", _("Summary")
    KPIS = "kpis", _("Key figures")
    NETWORKS = "networks", _("Per network")
    TOP_POSTS = "top_posts", _("Top posts")
    COMMUNITY = "community", _("Community management")
    LISTENING = "listening", _("Listening and sentiment")
    SHARE_OF_VOICE = "share_of_voice", _("Share of voice")
    CRISES = "crises", _("Crises")
    CAMPAIGNS = "campaigns", _("Campaigns")
    NEXT_CALENDAR = "next_calendar", _("Next period's calendar")


# A new template starts with every section, in this order.
DEFAULT_SECTIONS: tuple[str, ...] = tuple(SectionKey.values)
