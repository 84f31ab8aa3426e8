from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The top of the layers: the demo data (`manage.py seed_demo`) may use every app."""

    name = "demo"
    verbose_name = _("Demo data")
