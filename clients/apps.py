from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Client brands")

    def ready(self):
        # agency imports no other app: it lists brands (brand access, invitations) through
        # the selector registered here.
        from agency.brands import register_brand_selector
        from clients.selectors import brands_visible_to

        register_brand_selector(brands_visible_to)
