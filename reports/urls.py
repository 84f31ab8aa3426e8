"""Report pages (namespace "reports"): the templates, and a report previewed for a brand."""

from django.urls import path

from reports.views import previews, templates

app_name = "reports"
urlpatterns = [
    path("reports/templates/", templates.template_list, name="template_list"),
    path("reports/templates/new/", templates.template_create, name="template_create"),
    path(
        "reports/templates/<int:report_template_id>/edit/",
        templates.template_edit,
        name="template_edit",
    ),
    path(
        "reports/templates/<int:report_template_id>/delete/",
        templates.template_delete,
        name="template_delete",
    ),
    path(
        "reports/templates/<int:report_template_id>/brands/<int:brand_id>/",
        previews.report_preview,
        name="report_preview",
    ),
    path(
        "reports/templates/<int:report_template_id>/brands/<int:brand_id>/report.pdf",
        previews.report_download,
        name="report_pdf",
    ),
]
