"""Factories for the tenancy models: any object in one call, in the agency you give."""

import hashlib
import secrets
from datetime import timedelta

import factory
from django.utils import timezone

from agency.models import (
    Agency,
    ApiKey,
    ApiKeyScope,
    AuditEvent,
    BrandAccess,
    Invitation,
    Membership,
    Role,
    SignInLink,
    User,
)
from agency.tenancy import tenant_scope


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agence {n}")
    slug = factory.Sequence(lambda n: f"agence-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    agency = factory.SubFactory(AgencyFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.COMMUNITY_MANAGER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with tenant_scope(_agency_id_of(kwargs)):  # test set-up may be in another agency's scope
            return model_class.unscoped.create(*args, **kwargs)


def _agency_id_of(kwargs) -> int:
    # An explicit agency_id wins over the `agency` sub-factory, as it does in Model(...).
    if kwargs.get("agency_id") is not None:
        return kwargs["agency_id"]
    return kwargs["agency"].pk


class TenantFactory(factory.django.DjangoModelFactory):
    """Creates through the unscoped manager: factories may run outside any tenant scope."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        manager = model_class.unscoped
        m2m = {k: kwargs.pop(k) for k in list(kwargs) if k in getattr(cls, "_m2m_fields", ())}
        # Set-up writes in the row's own scope: a test may run inside another agency's.
        with tenant_scope(_agency_id_of(kwargs)):
            obj = manager.create(*args, **kwargs)
            for name, values in m2m.items():
                related = getattr(obj, name)
                # A tenant through model (InvitationBrand) carries the agency too.
                tenant_through = hasattr(related.through, "unscoped")
                defaults = {"agency_id": obj.agency_id} if tenant_through else None
                related.set(values, through_defaults=defaults)
        return obj


class BrandAccessFactory(TenantFactory):
    class Meta:
        model = BrandAccess

    membership = factory.SubFactory(MembershipFactory, role=Role.CLIENT_VIEWER)
    agency = factory.SelfAttribute("membership.agency")
    brand = factory.SubFactory(
        "clients.tests.factories.BrandFactory", agency=factory.SelfAttribute("..agency")
    )

    @classmethod
    def create(cls, **kwargs):
        # Given only an agency, the membership is made in it (PostgreSQL refuses a brand
        # access whose membership is in another agency).
        if "agency" in kwargs and "membership" not in kwargs:
            kwargs["membership"] = MembershipFactory(
                agency=kwargs["agency"], role=Role.CLIENT_VIEWER
            )
        return super().create(**kwargs)


class InvitationFactory(TenantFactory):
    class Meta:
        model = Invitation

    _m2m_fields = ("brands",)
    agency = factory.SubFactory(AgencyFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    role = Role.COMMUNITY_MANAGER
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    token_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.token.encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))
        )

    @classmethod
    def _create(cls, model_class, *args, token=None, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        obj.token = token  # the clear token, for tests that follow the emailed link
        return obj

    @classmethod
    def _build(cls, model_class, *args, token=None, **kwargs):
        return model_class(*args, **kwargs)


class ApiKeyFactory(TenantFactory):
    class Meta:
        model = ApiKey

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"CRM {n}")
    prefix = factory.LazyFunction(lambda: secrets.token_hex(4))
    secret = factory.LazyAttribute(lambda o: f"ak_{o.prefix}_{secrets.token_urlsafe(32)}")
    key_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.secret.encode()).hexdigest())
    scope = ApiKeyScope.READ_WRITE

    @classmethod
    def _create(cls, model_class, *args, secret=None, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        obj.secret = secret
        return obj

    @classmethod
    def _build(cls, model_class, *args, secret=None, **kwargs):
        return model_class(*args, **kwargs)


class AuditEventFactory(TenantFactory):
    class Meta:
        model = AuditEvent

    agency = factory.SubFactory(AgencyFactory)
    actor_label = "system"
    verb = "brand.created"


class SignInLinkFactory(TenantFactory):
    """A client's e-mailed sign-in link; `.token` is the clear token the e-mail carries."""

    class Meta:
        model = SignInLink

    membership = factory.SubFactory(MembershipFactory, role=Role.CLIENT_APPROVER)
    agency = factory.SelfAttribute("membership.agency")
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    token_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.token.encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=15))

    @classmethod
    def create(cls, **kwargs):
        if "agency" in kwargs and "membership" not in kwargs:
            kwargs["membership"] = MembershipFactory(
                agency=kwargs["agency"], role=Role.CLIENT_APPROVER
            )
        return super().create(**kwargs)

    @classmethod
    def _create(cls, model_class, *args, token=None, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        obj.token = token
        return obj

    @classmethod
    def _build(cls, model_class, *args, token=None, **kwargs):
        return model_class(*args, **kwargs)
