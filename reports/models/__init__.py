"""Reports' tables: the agency's report templates (``templates``), and the schedules and runs
of reports (``runs``: when a brand's report is sent, each generation with its files)."""

from reports.models.runs import (
    ContactRecipients,
    Frequency,
    ReportRun,
    ReportSchedule,
    RunTrigger,
)
from reports.models.templates import PeriodKind, ReportLanguage, ReportTemplate
from reports.states import RunState, RunStep

__all__ = [
    "ContactRecipients",
    "Frequency",
    "PeriodKind",
    "ReportLanguage",
    "ReportRun",
    "ReportSchedule",
    "ReportTemplate",
    "RunState",
    "RunStep",
    "RunTrigger",
]
