"""Filters offer only what the caller may see; every caller has a rate limit with Retry-After."""

import pytest

from clients.tests.factories import BrandFactory


def _error(response) -> dict:
    return response.json()["error"]


# --- Filters --------------------------------------------------------------------------------


def test_author_filter_refuses_a_user_of_another_agency_like_a_missing_one(
    api_as, member_of_a, owner_of_b
):
    client = api_as(member_of_a)
    foreign = client.get("/api/v1/posts/", {"author": owner_of_b.user.pk})
    missing = client.get("/api/v1/posts/", {"author": 999_999_999})
    assert foreign.status_code == missing.status_code == 400
    assert _error(foreign) == _error(missing)
    assert list(_error(foreign)["fields"]) == ["author"]


def test_author_filter_accepts_a_member_of_the_agency(api_as, member_of_a):
    response = api_as(member_of_a).get("/api/v1/posts/", {"author": member_of_a.user.pk})
    assert response.status_code == 200


def test_client_role_cannot_name_a_brand_it_was_not_given(api_as, client_of_a, agency_a, brand_a):
    other = BrandFactory(agency=agency_a, name="Hôtel Asilah")
    client = api_as(client_of_a)
    for path in ("/api/v1/campaigns/", "/api/v1/posts/", "/api/v1/social-accounts/"):
        assert client.get(path, {"brand": brand_a.pk}).status_code == 200, path
        refused = client.get(path, {"brand": other.pk})
        missing = client.get(path, {"brand": 999_999_999})
        assert refused.status_code == missing.status_code == 400, path
        assert _error(refused) == _error(missing), path


def test_foreign_brand_answers_like_a_missing_one_for_agency_staff(api_as, member_of_a, brand_b):
    client = api_as(member_of_a)
    foreign = client.get("/api/v1/personas/", {"brand": brand_b.pk})
    missing = client.get("/api/v1/personas/", {"brand": 999_999_999})
    assert foreign.status_code == missing.status_code == 400
    assert _error(foreign) == _error(missing)


def test_filter_choices_are_narrowed_for_every_filterset(client_of_a, agency_a, brand_a, rf):
    """The one helper: every object filter of every FilterSet offers only visible rows."""
    from agency.api.filters import visible_to
    from agency.models import User
    from agency.tenancy import tenant_scope
    from clients.models import Brand

    BrandFactory(agency=agency_a, name="Hôtel Asilah")
    with tenant_scope(agency_a):
        assert list(visible_to(client_of_a, Brand)) == [brand_a]
        assert set(visible_to(client_of_a, User)) == {client_of_a.user}
        assert list(visible_to(None, Brand)) == []


# --- Throttling -----------------------------------------------------------------------------


@pytest.fixture
def tight_limits(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "3/min", "api_user": "2/min"},
    }


def test_api_key_over_its_rate_gets_429_with_retry_after(
    tight_limits, api_client, api_key_of_a, agency_a
):
    from agency.tests.factories import ApiKeyFactory

    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_of_a.secret}")
    statuses = [api_client.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api_client.get("/api/v1/me/")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert _error(limited)["code"] == "throttled"

    other_key = ApiKeyFactory(agency=agency_a)  # the budget is per key
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {other_key.secret}")
    assert api_client.get("/api/v1/me/").status_code == 200


def test_signed_in_person_over_their_rate_gets_429(tight_limits, api_as, member_of_a):
    client = api_as(member_of_a)
    statuses = [client.get("/api/v1/me/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/me/")["Retry-After"]


def test_default_limits_leave_ordinary_use_alone(api_as, api_key_of_a):
    client = api_as(api_key_of_a)
    assert all(client.get("/api/v1/me/").status_code == 200 for _ in range(30))
