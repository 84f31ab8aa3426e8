"""Factories for the listening models: any object in one call, in the agency you give."""

import factory
from django.utils import timezone

from agency.tests.factories import AgencyFactory, TenantFactory
from reputation.models.crises import (
    CrisisIncident,
    CrisisIncidentMention,
    CrisisRule,
    IncidentEvent,
)
from reputation.models.mentions import (
    Author,
    Mention,
    MentionMatch,
    MentionRollup,
    SentimentCorrection,
)
from reputation.models.queries import ListeningQuery
from reputation.models.sources import Source, SourceImport, SourceKind

_brand = factory.SubFactory(
    "clients.tests.factories.BrandFactory", agency=factory.SelfAttribute("..agency")
)


class ListeningQueryFactory(TenantFactory):
    class Meta:
        model = ListeningQuery

    agency = factory.SubFactory(AgencyFactory)
    brand = _brand
    name = factory.Sequence(lambda n: f"Requête {n}")
    expression = factory.LazyAttribute(lambda o: f'"{o.brand.name}"')


class SourceFactory(TenantFactory):
    class Meta:
        model = Source

    agency = factory.SubFactory(AgencyFactory)
    kind = SourceKind.RSS
    name = factory.Sequence(lambda n: f"Flux {n}")
    url = factory.Sequence(lambda n: f"https://news{n}.example.test/feed.xml")


class SourceImportFactory(TenantFactory):
    class Meta:
        model = SourceImport

    agency = factory.SubFactory(AgencyFactory)
    brand = _brand
    file_name = factory.Sequence(lambda n: f"feeds-{n}.opml")


class AuthorFactory(TenantFactory):
    class Meta:
        model = Author

    agency = factory.SubFactory(AgencyFactory)
    network = "web"
    handle = factory.Sequence(lambda n: f"auteur{n}")
    name = factory.Sequence(lambda n: f"Auteur {n}")
    followers = 1200


class MentionFactory(TenantFactory):
    class Meta:
        model = Mention

    agency = factory.SubFactory(AgencyFactory)
    brand = _brand
    source = factory.SubFactory(SourceFactory, agency=factory.SelfAttribute("..agency"))
    author = factory.SubFactory(AuthorFactory, agency=factory.SelfAttribute("..agency"))
    external_id = factory.Sequence(lambda n: f"https://news.example.test/article-{n}")
    fingerprint = factory.Sequence(lambda n: f"{n:040d}")
    url = factory.LazyAttribute(lambda o: o.external_id)
    title = factory.Sequence(lambda n: f"Article {n}")
    text = factory.LazyAttribute(lambda o: f"On parle de {o.brand.name} aujourd'hui.")
    language = "fr"
    published_at = factory.LazyFunction(timezone.now)


class MentionMatchFactory(TenantFactory):
    class Meta:
        model = MentionMatch

    agency = factory.SubFactory(AgencyFactory)
    mention = factory.SubFactory(MentionFactory, agency=factory.SelfAttribute("..agency"))
    query = factory.SubFactory(
        ListeningQueryFactory,
        agency=factory.SelfAttribute("..agency"),
        brand=factory.SelfAttribute("..mention.brand"),
    )


class SentimentCorrectionFactory(TenantFactory):
    class Meta:
        model = SentimentCorrection

    agency = factory.SubFactory(AgencyFactory)
    mention = factory.SubFactory(MentionFactory, agency=factory.SelfAttribute("..agency"))
    text = factory.LazyAttribute(lambda o: o.mention.text)
    language = "fr"
    previous_label = "neutral"
    previous_score = 0.0
    label = "positive"


class MentionRollupFactory(TenantFactory):
    class Meta:
        model = MentionRollup

    agency = factory.SubFactory(AgencyFactory)
    brand = _brand
    hour = factory.LazyFunction(lambda: timezone.now().replace(minute=0, second=0, microsecond=0))
    volume = 3
    positive = 1
    neutral = 1
    negative = 1


class CrisisRuleFactory(TenantFactory):
    class Meta:
        model = CrisisRule

    agency = factory.SubFactory(AgencyFactory)
    brand = _brand


class CrisisIncidentFactory(TenantFactory):
    class Meta:
        model = CrisisIncident

    agency = factory.SubFactory(AgencyFactory)
    brand = _brand
    cause = "negative"
    severity = "high"
    stats = factory.LazyFunction(lambda: {"current": {"observed": 30, "expected": 7.5}})


class CrisisIncidentMentionFactory(TenantFactory):
    class Meta:
        model = CrisisIncidentMention

    agency = factory.SubFactory(AgencyFactory)
    incident = factory.SubFactory(CrisisIncidentFactory, agency=factory.SelfAttribute("..agency"))
    mention = factory.SubFactory(MentionFactory, agency=factory.SelfAttribute("..agency"))


class IncidentEventFactory(TenantFactory):
    class Meta:
        model = IncidentEvent

    agency = factory.SubFactory(AgencyFactory)
    incident = factory.SubFactory(CrisisIncidentFactory, agency=factory.SelfAttribute("..agency"))
    kind = "note"
    text = "Le client est prévenu."
