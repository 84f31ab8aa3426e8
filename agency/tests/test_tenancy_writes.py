"""Writes are guarded like reads: inside a tenant scope, no row of another agency is written.

Outside any scope writes are allowed (management commands, admin, the cross-agency
dispatchers before they enter a scope, test set-up): agency/tenancy.py says why.
"""

import pytest

from agency.models import BrandAccess, Membership
from agency.tenancy import TenantMismatchError, tenant_scope
from campaigns.tests.factories import PostFactory
from clients.models import Brand
from clients.tests.factories import BrandFactory


def test_saving_a_row_of_another_agency_raises(brand_a, agency_b):
    brand_a.name = "Repris par B"
    with tenant_scope(agency_b), pytest.raises(TenantMismatchError):
        brand_a.save()
    brand_a.refresh_from_db()
    assert brand_a.name == "Café Tanger"


def test_creating_a_row_for_another_agency_raises(agency_a, agency_b):
    with tenant_scope(agency_b), pytest.raises(TenantMismatchError):
        Brand.objects.create(agency=agency_a, name="Intrus", slug="intrus")
    assert not Brand.unscoped.filter(slug="intrus").exists()


def test_bulk_create_under_another_agency_raises(agency_a, agency_b):
    rows = [Brand(agency=agency_b, name="B", slug="b"), Brand(agency=agency_a, name="A", slug="a")]
    with tenant_scope(agency_b), pytest.raises(TenantMismatchError):
        Brand.objects.bulk_create(rows)
    with tenant_scope(agency_b), pytest.raises(TenantMismatchError):
        Brand.unscoped.bulk_create(rows)  # the named cross-agency manager is guarded too
    assert not Brand.unscoped.filter(slug__in=["a", "b"]).exists()


def test_moving_rows_to_another_agency_raises(brand_b, agency_a, agency_b):
    with tenant_scope(agency_b), pytest.raises(TenantMismatchError):
        Brand.objects.filter(pk=brand_b.pk).update(agency=agency_a)
    with tenant_scope(agency_b), pytest.raises(TenantMismatchError):
        Brand.objects.filter(pk=brand_b.pk).update(agency_id=agency_a.pk)
    brand_b.agency_id = agency_a.pk
    with tenant_scope(agency_b), pytest.raises(TenantMismatchError):
        Brand.objects.bulk_update([brand_b], ["agency"])
    assert Brand.unscoped.get(pk=brand_b.pk).agency_id == agency_b.pk


def test_writes_in_the_rows_own_scope_go_through(brand_a, agency_a):
    with tenant_scope(agency_a):
        brand_a.name = "Café Tanger Marina"
        brand_a.save()
        Brand.objects.bulk_create([Brand(agency=agency_a, name="Nouvelle", slug="nouvelle")])
        Brand.objects.filter(pk=brand_a.pk).update(agency=agency_a, description="ok")
    assert Brand.unscoped.filter(agency=agency_a).count() == 2


def test_writes_outside_any_scope_must_name_the_agency(agency_a):
    # Allowed (cross-agency code is outside any scope), and the agency is always explicit:
    brand = Brand.unscoped.create(agency=agency_a, name="Hors champ", slug="hors-champ")
    assert brand.agency_id == agency_a.pk


def test_a_forward_foreign_key_reads_its_parent_in_the_childs_agency(agency_a, agency_b):
    post = PostFactory(agency=agency_a)
    brand_b = BrandFactory(agency=agency_b)
    # What Django's forward descriptor does for `post.brand` (the instance is the hint):
    as_for_post = Brand.unscoped.db_manager(hints={"instance": post})
    assert as_for_post.get_queryset().filter(pk=post.brand_id).exists()
    assert not as_for_post.get_queryset().filter(pk=brand_b.pk).exists()
    assert post.brand.agency_id == agency_a.pk  # the ordinary path still works, in no scope


def test_accepting_an_invitation_while_working_in_another_agency(owner_of_b, agency_a):
    """The guarded write must not break a person of B joining A from B's dashboard."""
    from agency.services.invitations import invitation_accept
    from agency.tests.factories import InvitationFactory

    invitation = InvitationFactory(agency=agency_a, email=owner_of_b.user.email)
    with tenant_scope(owner_of_b.agency):
        membership = invitation_accept(token=invitation.token, user=owner_of_b.user)
    assert membership.agency_id == agency_a.pk
    assert Membership.unscoped.filter(user=owner_of_b.user).count() == 2
    assert not BrandAccess.unscoped.filter(membership=membership).exists()
