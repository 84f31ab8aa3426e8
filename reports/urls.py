"""Report pages (namespace "reports"): the templates, a report previewed for a brand, the run
history, a brand's runs and schedules, a run with its progress and downloads, and the web
version behind the e-mail's signed link."""

from django.urls import path

from reports.views import downloads, previews, public, runs, schedules, templates

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
    path("reports/", runs.runs, name="runs"),
    path("reports/brands/<int:brand_id>/", runs.brand_reports, name="brand_reports"),
    path("reports/brands/<int:brand_id>/run/", runs.run_now, name="run_now"),
    path("reports/brands/<int:brand_id>/schedules/", schedules.schedule_new, name="schedule_new"),
    path(
        "reports/schedules/<int:report_schedule_id>/",
        schedules.schedule_edit,
        name="schedule_edit",
    ),
    path(
        "reports/schedules/<int:report_schedule_id>/delete/",
        schedules.schedule_remove,
        name="schedule_delete",
    ),
    path("reports/runs/<int:report_run_id>/", runs.run_detail, name="run"),
    path("reports/runs/<int:report_run_id>/progress/", runs.run_progress, name="run_progress"),
    path("reports/runs/<int:report_run_id>/retry/", runs.run_retry_view, name="run_retry"),
    path("reports/runs/<int:report_run_id>/report.pdf", downloads.run_pdf, name="run_pdf"),
    path(
        "reports/runs/<int:report_run_id>/data.csv",
        downloads.run_data,
        {"fmt": "csv"},
        name="run_csv",
    ),
    path(
        "reports/runs/<int:report_run_id>/data.xlsx",
        downloads.run_data,
        {"fmt": "xlsx"},
        name="run_xlsx",
    ),
    # The web version behind the e-mail's signed link (public: the token is the credential).
    path("r/<str:token>/", public.run_web, name="run_web"),
]
