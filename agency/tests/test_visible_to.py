"""`visible_to(actor)`: the one narrowing to what an actor may see, for every role."""

import pytest
from django.apps import apps

from agency.models import Role
from agency.tenancy import TenantModel, tenant_scope
from agency.tests.factories import ApiKeyFactory
from agency.visibility import brand_path, get_visible_or_404
from campaigns.models import Post, PostVariant
from campaigns.tests.factories import PostFactory, PostVariantFactory
from clients.models import Brand
from clients.tests.factories import BrandFactory
from reputation.models.mentions import MentionMatch
from reputation.tests.factories import MentionMatchFactory

# Tenant models whose rows belong to the agency as a whole, not to one brand: client roles see
# them as the rest of the agency does (permissions and views decide). A new tenant model that
# reaches no brand must be added here on purpose.
AGENCY_WIDE = {
    "Membership",
    "Invitation",
    "ApiKey",
    "AuditEvent",
    "Notification",
    "NotificationPreference",
    "WebhookEndpoint",
    "WebhookDelivery",
    "AgencyPublishingPause",
    "Author",
    "Label",  # the inbox's labels are the agency's, shared by its brands
    "ReportTemplate",  # one template serves every brand it is run for (reports/)
    "ApiRetirementWarning",  # a network's API retiring concerns every brand with its accounts
    "SignInLink",  # a client's e-mailed sign-in link: a person's, read only by its token
}


@pytest.fixture
def other_brand_a(agency_a):
    return BrandFactory(agency=agency_a, name="Atlas Télécom", slug="atlas-telecom")


@pytest.mark.parametrize(
    "role", [Role.OWNER, Role.ADMIN, Role.MANAGER, Role.COMMUNITY_MANAGER, Role.ANALYST]
)
def test_agency_roles_see_every_brand_of_their_agency(
    role, member_factory, agency_a, brand_a, other_brand_a, brand_b
):
    member = member_factory(agency_a, role)
    with tenant_scope(agency_a):
        assert set(Brand.objects.visible_to(member)) == {brand_a, other_brand_a}


@pytest.mark.parametrize("role", [Role.CLIENT_APPROVER, Role.CLIENT_VIEWER])
def test_client_roles_see_only_the_brands_they_were_given(
    role, member_factory, agency_a, brand_a, other_brand_a, brand_b
):
    from agency.tests.factories import BrandAccessFactory

    client = member_factory(agency_a, role)
    BrandAccessFactory(membership=client, agency=agency_a, brand=brand_a)
    with tenant_scope(agency_a):
        assert list(Brand.objects.visible_to(client)) == [brand_a]


def test_a_client_given_no_brand_sees_none(member_factory, agency_a, brand_a):
    client = member_factory(agency_a, Role.CLIENT_VIEWER)
    with tenant_scope(agency_a):
        assert not Brand.objects.visible_to(client).exists()


def test_an_api_key_sees_every_brand_of_its_agency(agency_a, brand_a, other_brand_a, brand_b):
    key = ApiKeyFactory(agency=agency_a)
    with tenant_scope(agency_a):
        assert set(Brand.objects.visible_to(key)) == {brand_a, other_brand_a}


def test_no_actor_sees_nothing(agency_a, brand_a):
    with tenant_scope(agency_a):
        assert not Brand.objects.visible_to(None).exists()


def test_a_clients_narrowing_follows_children_to_their_brand(
    client_of_a, member_of_a, agency_a, brand_a, other_brand_a
):
    post = PostFactory(agency=agency_a, brand=brand_a)
    other_post = PostFactory(agency=agency_a, brand=other_brand_a)
    variant = PostVariantFactory(agency=agency_a, post=post)
    other_variant = PostVariantFactory(agency=agency_a, post=other_post)
    match = MentionMatchFactory(agency=agency_a, mention__brand=brand_a)
    other_match = MentionMatchFactory(agency=agency_a, mention__brand=other_brand_a)
    with tenant_scope(agency_a):
        assert list(Post.objects.visible_to(client_of_a)) == [post]
        assert list(PostVariant.objects.visible_to(client_of_a)) == [variant]
        assert list(MentionMatch.objects.visible_to(client_of_a)) == [match]
        assert set(PostVariant.objects.visible_to(member_of_a)) == {variant, other_variant}
        assert set(MentionMatch.objects.visible_to(member_of_a)) == {match, other_match}


def test_visible_to_never_crosses_agencies_even_unscoped(member_of_a, brand_a, brand_b):
    with tenant_scope(member_of_a.agency):
        assert list(Brand.unscoped.visible_to(member_of_a)) == [brand_a]


def test_applying_visible_to_twice_adds_nothing(client_of_a, agency_a):
    with tenant_scope(agency_a):
        once = Post.objects.visible_to(client_of_a)
        twice = once.filter(state="draft").visible_to(client_of_a)
        assert str(twice.query) == str(once.filter(state="draft").query)
        # A combined queryset may be wider: it is narrowed again.
        combined = once | Post.objects.all()
        assert str(combined.visible_to(client_of_a).query) != str(combined.query)


def test_get_visible_or_404_answers_404_for_missing_and_not_yours(
    client_of_a, agency_a, brand_a, other_brand_a, brand_b
):
    from django.http import Http404

    with tenant_scope(agency_a):
        assert get_visible_or_404(Brand.objects.all(), brand_a.pk, actor=client_of_a) == brand_a
        for pk in (other_brand_a.pk, brand_b.pk, 999_999, "abc"):
            with pytest.raises(Http404):
                get_visible_or_404(Brand.objects.all(), pk, actor=client_of_a)


def test_every_tenant_model_reaches_a_brand_or_is_agency_wide_on_purpose():
    unreached = {
        model._meta.object_name
        for model in apps.get_models()
        if issubclass(model, TenantModel) and brand_path(model) is None
    }
    assert unreached == AGENCY_WIDE


def test_the_api_base_class_refuses_a_model_it_cannot_narrow():
    from agency.api.base import TenantViewSet
    from agency.models import User

    with pytest.raises(TypeError, match="not a tenant model"):
        type("UsersViewSet", (TenantViewSet,), {"model": User})
