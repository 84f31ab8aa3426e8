"""Hostile input to the API gets a clear 4xx in the API's one error format, never a 500.

Each case was found by fuzzing the API from its schema; the fixes live in the API's base
classes (agency/api/) and the one date check (agency/datetimes.py), so every endpoint has them.
"""

import pytest

from agency.tests.factories import AuditEventFactory


@pytest.fixture
def api(api_as, api_key_of_a, brand_a):
    return api_as(api_key_of_a)


def _error(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()["error"]


# --- Methods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/agency/", "/api/v1/me/", "/api/v1/brands/", "/api/v1/conversations/"]
)
def test_trace_answers_405_not_500(api, path):
    response = api.generic("TRACE", path)
    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"


def test_unknown_method_answers_405(api):
    response = api.generic("BREW", "/api/v1/agency/")
    assert response.status_code == 405
    assert _error(response)["code"] == "method_not_allowed"


def test_method_a_view_does_not_have_answers_405(api):
    assert api.put("/api/v1/me/", {}, format="json").status_code == 405
    assert api.delete("/api/v1/agency/").status_code == 405


@pytest.mark.parametrize(
    "path", ["/api/v1/agency/", "/api/v1/me/", "/api/v1/brands/", "/api/v1/conversations/"]
)
def test_head_answers_like_get_without_a_body(api, path):
    response = api.head(path)
    assert response.status_code == 200
    assert response.content == b""


# --- Addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/brands/abc/",
        "/api/v1/brands/%0A/logo/",  # a newline in the address
        "/api/v1/posts/1.5/",
        "/api/v1/posts/x/approve/",
        "/api/v1/conversations/1e3/",
        "/api/v1/conversations/x/notes/",
        "/api/v1/nope/",
    ],
)
def test_non_numeric_id_or_unknown_address_is_a_json_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_missing_trailing_slash_still_redirects(api):
    response = api.get("/api/v1/brands?page_size=1")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/brands/?page_size=1")


# --- Cursors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "cD1ub3QtYS1kYXRl",  # p=not-a-date
        "cD05OTk5LTEyLTMxKzIwOjAw",  # p=9999-12-31+20:00
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/audit-events/", "/api/v1/conversations/"])
def test_bad_cursor_is_a_400_naming_the_cursor(api, cursor, path, agency_a):
    AuditEventFactory(agency=agency_a, verb="brand.created")
    response = api.get(f"{path}?cursor={cursor}")
    assert response.status_code == 400
    assert list(_error(response)["fields"]) == ["cursor"]


def test_a_real_cursor_still_pages(api, agency_a):
    for _ in range(3):
        AuditEventFactory(agency=agency_a, verb="brand.created")
    first = api.get("/api/v1/audit-events/?page_size=2").json()
    second = api.get(first["next"])
    assert second.status_code == 200 and len(second.json()["results"]) == 1


# --- Dates and offsets ----------------------------------------------------------------------


@pytest.mark.parametrize("param", ["since", "until"])
def test_offset_beyond_postgres_range_is_a_400_naming_the_parameter(api, param):
    for path in ("/api/v1/audit-events/", "/api/v1/listening/mentions/"):
        response = api.get(path, {param: "2026-11-01T00:00:00+20:00"})
        assert response.status_code == 400, path
        assert param in _error(response)["fields"], path


@pytest.mark.parametrize("param", ["start", "end"])
def test_calendar_offset_or_year_out_of_range_is_a_400_naming_the_parameter(api, param):
    for value in ("2026-11-01T00:00:00-16:30", "9999-12-31T23:00:00Z"):
        response = api.get("/api/v1/posts/calendar/", {param: value})
        assert response.status_code == 400, value
        assert param in _error(response)["fields"], value


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"])
def test_post_dated_at_the_edge_of_the_calendar_is_refused(api, brand_a, value):
    response = api.post(
        "/api/v1/posts/",
        {"brand": brand_a.pk, "text": "Bonjour", "scheduled_at": value},
        format="json",
    )
    assert response.status_code == 400
    assert "scheduled_at" in _error(response)["fields"]


def test_post_wall_clock_time_in_year_9999_is_refused(api, brand_a):
    response = api.post(
        "/api/v1/posts/",
        {"brand": brand_a.pk, "text": "Bonjour", "scheduled_at_local": "9999-12-31T23:30:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "scheduled_at_local" in _error(response)["fields"]


def test_campaign_ending_in_year_9999_is_refused(api, brand_a):
    response = api.post(
        "/api/v1/campaigns/",
        {
            "brand": brand_a.pk,
            "name": "Ramadan",
            "objective": "awareness",
            "starts_on": "2026-03-01",
            "ends_on": "9999-12-31",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "ends_on" in _error(response)["fields"]


def test_service_refuses_a_post_dated_9999_whatever_the_input_path(member_of_a, brand_a):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from campaigns.services.posts import post_create

    with pytest.raises(ValidationError) as raised:
        post_create(
            actor=member_of_a,
            brand=brand_a,
            text="Bonjour",
            scheduled_at=dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC),
        )
    assert "scheduled_at" in raised.value.message_dict


# --- Error messages -------------------------------------------------------------------------


def test_list_field_errors_are_plain_messages_with_a_path(api, brand_a):
    response = api.patch(
        f"/api/v1/brands/{brand_a.pk}/", {"languages": ["fr", "klingon"]}, format="json"
    )
    assert response.status_code == 400
    fields = _error(response)["fields"]
    assert list(fields) == ["languages"]
    [message] = fields["languages"]
    assert message.startswith("[1]: ") and "klingon" in message
    assert "ErrorDetail" not in message


def test_nested_serializer_errors_name_the_item_and_field(api, brand_a):
    response = api.put(
        f"/api/v1/brands/{brand_a.pk}/guidelines/",
        {"hashtag_sets": [{"name": "ok", "hashtags": ["#a"]}, {"name": "x" * 81, "hashtags": []}]},
        format="json",
    )
    assert response.status_code == 400
    fields = _error(response)["fields"]
    assert list(fields) == ["hashtag_sets"]
    [message] = fields["hashtag_sets"]
    assert message.startswith("[1].name: ")
    assert "ErrorDetail" not in message


# --- The schema documents the errors ---------------------------------------------------------


def test_schema_documents_the_error_answers_of_every_operation(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    assert "Error" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"400", "401", "403", "429"} <= documented, (method, path)
            assert ("404" in documented) == ("{" in path), (method, path)
    logo = schema["paths"]["/api/v1/brands/{id}/logo/"]["delete"]["responses"]
    assert "200" in logo and "204" not in logo


def test_new_brand_guidelines_answer_within_the_schema(api, brand_a):
    """Found by the stateful fuzz: a brand never given guidelines answers updated_at null."""
    body = api.get(f"/api/v1/brands/{brand_a.pk}/guidelines/").json()
    assert body["updated_at"] is None
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["components"]["schemas"]["Guidelines"]["properties"]["updated_at"]["nullable"]


# --- Networks' webhook receivers (outside the API: plain-text answers, never a 500) ---------
# The Meta receiver's own tests (engagement/tests/test_meta_webhooks_refusals.py) cover signatures,
# malformed and hostile bodies; here, what any stranger can send without a secret.


@pytest.mark.parametrize("method", ["TRACE", "BREW", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_the_meta_receiver_answers_405_to_other_methods(client, method):
    assert client.generic(method, "/hooks/meta/").status_code == 405


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_HUB_SIGNATURE_256": "sha256=" + "ä" * 64},
        {"HTTP_X_HUB_SIGNATURE_256": "x" * 10_000},
        {"CONTENT_LENGTH": "-1"},
        {"CONTENT_LENGTH": "10000000000"},
    ],
)
def test_the_meta_receiver_refuses_unsigned_and_garbled_requests_without_a_500(
    client, settings, headers
):
    settings.META_WEBHOOK_APP_SECRETS = ["secret"]
    response = client.post(
        "/hooks/meta/",
        data=b'{"object": "page", "entry": []}',
        content_type="application/json",
        **headers,
    )
    assert response.status_code in (403, 413), (headers, response.status_code)


@pytest.mark.parametrize(
    "query", ["?hub.mode=subscribe", "?hub.verify_token=%00%ff", "?hub.challenge=" + "9" * 5000]
)
def test_the_meta_subscription_check_refuses_garbled_queries_without_a_500(client, query):
    assert client.get("/hooks/meta/" + query).status_code == 403
