"""Factories for the publishing engine's models: any object in one call, in the agency you give."""

import factory

from agency.tests.factories import AgencyFactory, TenantFactory
from publishing.models import AgencyPublishingPause


class AgencyPublishingPauseFactory(TenantFactory):
    class Meta:
        model = AgencyPublishingPause

    agency = factory.SubFactory(AgencyFactory)
    paused = False
