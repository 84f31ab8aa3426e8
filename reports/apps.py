from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Client reports: templates, the web and PDF renderings, schedules (docs/reports.md)."""

    name = "reports"
    verbose_name = _("Reports")
