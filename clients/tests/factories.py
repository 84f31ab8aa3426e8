import factory

from agency.tests.factories import AgencyFactory, TenantFactory
from clients.models import Brand


class BrandFactory(TenantFactory):
    class Meta:
        model = Brand

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Marque {n}")
    slug = factory.Sequence(lambda n: f"marque-{n}")
    industry = "Retail"
    languages = factory.LazyFunction(lambda: ["fr", "ar"])
