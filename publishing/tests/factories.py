"""Factories for the publishing engine's models: any object in one call, in the agency you give."""

import factory
from django.utils import timezone

from agency.tests.factories import AgencyFactory, TenantFactory
from campaigns.tests.factories import PostVariantFactory
from publishing.models import AgencyPublishingPause, PostMetricSnapshot


class AgencyPublishingPauseFactory(TenantFactory):
    class Meta:
        model = AgencyPublishingPause

    agency = factory.SubFactory(AgencyFactory)
    paused = False


class PostMetricSnapshotFactory(TenantFactory):
    class Meta:
        model = PostMetricSnapshot

    agency = factory.SubFactory(AgencyFactory)
    post_variant = factory.SubFactory(PostVariantFactory, agency=factory.SelfAttribute("..agency"))
    window = "1h"
    due_at = factory.LazyFunction(timezone.now)
