import datetime as dt

import factory

from agency.tests.factories import AgencyFactory, TenantFactory
from clients.tests.factories import BrandFactory
from reports.models import Frequency, ReportRun, ReportSchedule, ReportTemplate


class ReportTemplateFactory(TenantFactory):
    class Meta:
        model = ReportTemplate

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Rapport mensuel {n}")
    commentary = "Un mois porté par la campagne de Ramadan."


class ReportScheduleFactory(TenantFactory):
    class Meta:
        model = ReportSchedule

    agency = factory.SubFactory(AgencyFactory)
    brand = factory.SubFactory(BrandFactory, agency=factory.SelfAttribute("..agency"))
    template = factory.SubFactory(ReportTemplateFactory, agency=factory.SelfAttribute("..agency"))
    frequency = Frequency.MONTHLY
    day_of_month = 1
    hour = 9


class ReportRunFactory(TenantFactory):
    class Meta:
        model = ReportRun

    agency = factory.SubFactory(AgencyFactory)
    brand = factory.SubFactory(BrandFactory, agency=factory.SelfAttribute("..agency"))
    template = factory.SubFactory(ReportTemplateFactory, agency=factory.SelfAttribute("..agency"))
    template_name = factory.LazyAttribute(lambda run: run.template.name if run.template else "")
    period_start = dt.date(2026, 11, 1)
    period_end = dt.date(2026, 11, 30)
    language = "fr"
