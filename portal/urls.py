"""The client portal at /portal/ (namespace `portal`): docs/client-portal.md."""

from django.urls import path

from portal.views import approvals, pages, reports

app_name = "portal"

urlpatterns = [
    path("", pages.home, name="home"),
    path("published/", pages.history, name="history"),
    path("calendar/", pages.calendar, name="calendar"),
    path("activity/", pages.activity, name="activity"),
    # The reports archive (portal/views/reports.py): the web version and the PDF of each.
    path("reports/", reports.archive, name="reports"),
    path("reports/<int:report_run_id>/", reports.report_web, name="report_web"),
    path("reports/<int:report_run_id>/report.pdf", reports.report_pdf, name="report_pdf"),
    # The approvals (portal/views/approvals.py).
    path("approvals/", approvals.approvals, name="approvals"),
    path(
        "approvals/bulk-approve/", approvals.approvals_bulk_approve, name="approvals_bulk_approve"
    ),
    path("approvals/<int:post_id>/", approvals.approval_detail, name="approval_detail"),
    path("approvals/<int:post_id>/decide/", approvals.approval_decide, name="approval_decide"),
    path("approvals/<int:post_id>/hold/", approvals.approval_hold, name="approval_hold"),
    path("approvals/<int:post_id>/comment/", approvals.approval_comment, name="approval_comment"),
]
