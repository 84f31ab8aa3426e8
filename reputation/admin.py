"""Admin for support staff: see why a source fails, what a query is, what was collected.

Support spans agencies (the admin is staff-only), hence the unscoped managers; writes for
customers go through the dashboard and the API, which check permissions and audit.
"""

from django.contrib import admin

from reputation.models.mentions import Mention, SentimentCorrection
from reputation.models.queries import ListeningQuery
from reputation.models.sources import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "agency",
        "kind",
        "active",
        "consecutive_failures",
        "last_error",
        "next_poll_at",
        "last_success_at",
    ]
    list_filter = ["kind", "active"]
    search_fields = ["name", "url", "last_error"]
    readonly_fields = ["agency", "brand", "etag", "last_modified", "cursor", "lease_until"]

    def get_queryset(self, request):
        return Source.unscoped.select_related("agency", "brand")


@admin.register(ListeningQuery)
class ListeningQueryAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "agency", "expression", "is_competitor", "active"]
    list_filter = ["active", "is_competitor"]
    search_fields = ["name", "expression"]
    readonly_fields = ["agency", "brand"]

    def get_queryset(self, request):
        return ListeningQuery.unscoped.select_related("agency", "brand")


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "brand", "language", "sentiment_label", "published_at"]
    list_filter = ["language", "sentiment_label"]
    search_fields = ["external_id", "title"]
    readonly_fields = [f.name for f in Mention._meta.fields]

    def get_queryset(self, request):
        return Mention.unscoped.select_related("brand")

    def has_add_permission(self, request):
        return False


@admin.register(SentimentCorrection)
class SentimentCorrectionAdmin(admin.ModelAdmin):
    list_display = ["mention", "language", "previous_label", "label", "created_at"]
    list_filter = ["language", "label"]
    readonly_fields = [f.name for f in SentimentCorrection._meta.fields]

    def get_queryset(self, request):
        return SentimentCorrection.unscoped.all()

    def has_add_permission(self, request):
        return False
