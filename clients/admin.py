"""Admin for support staff: accounts and their status, never their tokens."""

from django.contrib import admin

from clients.models import MastodonApp, SocialAccount

TOKEN_COLUMNS = ["access_token_encrypted", "refresh_token_encrypted"]


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = ["__str__", "brand", "network", "status", "expires_at", "connected_at"]
    list_filter = ["network", "status"]
    search_fields = ["handle", "display_name", "external_id"]
    exclude = TOKEN_COLUMNS
    readonly_fields = ["agency", "brand", "network", "external_id", "connected_by"]

    def get_queryset(self, request):
        # Support spans agencies; the admin is staff-only.
        return SocialAccount.unscoped.select_related("brand")


@admin.register(MastodonApp)
class MastodonAppAdmin(admin.ModelAdmin):
    list_display = ["instance_url", "client_id", "created_at"]
    exclude = ["client_secret_encrypted"]
    readonly_fields = ["instance_url", "client_id", "redirect_uri"]
