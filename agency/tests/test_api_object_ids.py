"""An id too large for the id columns is a field error, not a 500 (SQLite raised OverflowError
before the query ran; schemathesis found it on the invitations endpoint)."""

import pytest

HUGE = "-74329892117925633826069745238016"


@pytest.mark.parametrize("value", [HUGE, str(2**63), "0"])
def test_an_invitation_with_an_out_of_range_brand_id_is_a_field_error(api_as, owner_of_a, value):
    api = api_as(owner_of_a)
    response = api.post(
        "/api/v1/invitations/",
        {"email": "new@example.test", "role": "client_approver", "brand_ids": [value]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "brand_ids" in response.json()["error"]["fields"]


def test_a_post_with_an_out_of_range_brand_id_is_a_field_error(api_as, api_key_of_a):
    response = api_as(api_key_of_a).post(
        "/api/v1/posts/", {"brand": 2**64, "text": "Bonjour"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "brand" in response.json()["error"]["fields"]
