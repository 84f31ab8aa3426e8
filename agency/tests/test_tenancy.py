import pytest

from agency.tenancy import NoTenantError, current_agency_id_or_none, tenant_scope
from clients.models import Brand
from clients.tests.factories import BrandFactory


def test_scoped_manager_raises_without_a_tenant(brand_a):
    with pytest.raises(NoTenantError):
        list(Brand.objects.all())


def test_scoped_manager_raises_for_counts_and_updates_too(brand_a):
    with pytest.raises(NoTenantError):
        Brand.objects.count()
    with pytest.raises(NoTenantError):
        Brand.objects.update(name="x")
    with pytest.raises(NoTenantError):
        Brand.objects.filter(pk=brand_a.pk).delete()


def test_scoped_manager_returns_only_the_current_agencys_rows(brand_a, brand_b):
    with tenant_scope(brand_a.agency):
        assert list(Brand.objects.all()) == [brand_a]
    with tenant_scope(brand_b.agency_id):
        assert list(Brand.objects.all()) == [brand_b]


def test_queryset_built_inside_scope_cannot_be_read_after_it(brand_a):
    with tenant_scope(brand_a.agency):
        queryset = Brand.objects.all()
    with pytest.raises(NoTenantError):
        list(queryset)


def test_unscoped_manager_spans_agencies_by_name(brand_a, brand_b):
    assert set(Brand.unscoped.all()) == {brand_a, brand_b}


def test_tenant_scope_restores_the_previous_agency(agency_a, agency_b):
    with tenant_scope(agency_a):
        with tenant_scope(agency_b):
            assert current_agency_id_or_none() == agency_b.pk
        assert current_agency_id_or_none() == agency_a.pk
    assert current_agency_id_or_none() is None


def test_deleting_an_agency_cascades_without_a_tenant(agency_a):
    BrandFactory(agency=agency_a)
    agency_a.delete()
    assert Brand.unscoped.count() == 0
