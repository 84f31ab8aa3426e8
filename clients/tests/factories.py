import hashlib
import secrets
from datetime import timedelta

import factory
from django.utils import timezone

from agency.tests.factories import AgencyFactory, TenantFactory
from clients.models import (
    Brand,
    BrandGuidelines,
    ClientContact,
    Competitor,
    ConnectionLink,
    MastodonApp,
    Persona,
    SocialAccount,
)


class BrandFactory(TenantFactory):
    class Meta:
        model = Brand

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Marque {n}")
    slug = factory.Sequence(lambda n: f"marque-{n}")
    industry = "Retail"
    languages = factory.LazyFunction(lambda: ["fr", "ar"])


class BrandChildFactory(TenantFactory):
    """Rows of a brand's profile: in the brand's agency (pass agency= or brand=)."""

    class Meta:
        abstract = True

    agency = factory.SubFactory(AgencyFactory)
    brand = factory.SubFactory(BrandFactory, agency=factory.SelfAttribute("..agency"))


class BrandGuidelinesFactory(BrandChildFactory):
    class Meta:
        model = BrandGuidelines

    tone_of_voice = "Chaleureux, direct, jamais familier."
    words_to_use = factory.LazyFunction(lambda: ["terroir", "partage"])
    words_to_avoid = factory.LazyFunction(lambda: ["pas cher"])
    hashtag_sets = factory.LazyFunction(
        lambda: [{"name": "Ramadan", "hashtags": ["#ramadan", "#ftour"]}]
    )
    signatures = factory.LazyFunction(lambda: ["— L'équipe"])


class PersonaFactory(BrandChildFactory):
    class Meta:
        model = Persona

    name = factory.Sequence(lambda n: f"Audience {n}")
    language = "fr"
    age_min = 18
    age_max = 34
    interests = factory.LazyFunction(lambda: ["café", "musique"])


class CompetitorFactory(BrandChildFactory):
    class Meta:
        model = Competitor

    name = factory.Sequence(lambda n: f"Concurrent {n}")
    handles = factory.LazyFunction(lambda: {"instagram": "@concurrent"})
    keywords = factory.LazyFunction(lambda: ["concurrent"])


class ClientContactFactory(BrandChildFactory):
    class Meta:
        model = ClientContact

    name = factory.Faker("name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"contact{n}@client.test")
    phone = "+212 6 12 34 56 78"
    role = "Directrice marketing"
    is_approver = True


class SocialAccountFactory(BrandChildFactory):
    class Meta:
        model = SocialAccount

    network = "mastodon"
    external_id = factory.Sequence(lambda n: f"10{n}")
    handle = factory.Sequence(lambda n: f"@compte{n}@mastodon.social")
    display_name = "Compte de test"
    instance_url = "https://mastodon.social"
    access_token = factory.Sequence(lambda n: f"access-token-{n}")
    refresh_token = factory.Sequence(lambda n: f"refresh-token-{n}")
    scopes = factory.LazyFunction(lambda: ["read:statuses", "write:statuses"])


class MastodonAppFactory(factory.django.DjangoModelFactory):
    """Not tenant data: one registration per Mastodon instance."""

    class Meta:
        model = MastodonApp
        django_get_or_create = ("instance_url",)

    instance_url = "https://mastodon.social"
    client_id = "mastodon-client-id"
    client_secret = "mastodon-client-secret"
    redirect_uri = "http://127.0.0.1:8000/connections/callback/mastodon/"


class ConnectionLinkFactory(BrandChildFactory):
    """A brand's connection link; `.token` is the clear token (shown once in the product)."""

    class Meta:
        model = ConnectionLink

    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    token_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.token.encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    @classmethod
    def _create(cls, model_class, *args, token=None, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        obj.token = token
        return obj

    @classmethod
    def _build(cls, model_class, *args, token=None, **kwargs):
        return model_class(*args, **kwargs)
