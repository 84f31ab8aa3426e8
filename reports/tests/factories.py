import factory

from agency.tests.factories import AgencyFactory, TenantFactory
from reports.models import ReportTemplate


class ReportTemplateFactory(TenantFactory):
    class Meta:
        model = ReportTemplate

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Rapport mensuel {n}")
    commentary = "Un mois porté par la campagne de Ramadan."
