"""Reports' tables: the agency's report templates (``templates``). The runs of a report (when
one was generated, for which brand, its files) are reports.models.runs."""

from reports.models.templates import PeriodKind, ReportLanguage, ReportTemplate

__all__ = ["PeriodKind", "ReportLanguage", "ReportTemplate"]
