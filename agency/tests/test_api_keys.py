from django.db import connection

from agency.models import ApiKey, AuditEvent


def test_api_key_is_shown_once_and_stored_hashed(owner_of_a, api_as, in_agency):
    client = api_as(owner_of_a)
    response = client.post("/api/v1/api-keys/", {"name": "HubSpot", "scope": "read"}, format="json")
    assert response.status_code == 201
    secret = response.json()["key"]
    assert secret.startswith("ak_")

    listed = client.get("/api/v1/api-keys/").json()["results"]
    assert listed[0]["name"] == "HubSpot" and "key" not in listed[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT prefix, key_hash FROM agency_apikey")
        rows = cursor.fetchall()
    assert all(secret not in " ".join(row) for row in rows)


def test_api_key_authenticates_as_its_agency_and_records_use(api_key_of_a, api_as):
    response = api_as(api_key_of_a).get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["agency"]["slug"] == "atlas-digital"
    assert body["user"] is None and body["api_key"]["name"] == api_key_of_a.name
    api_key_of_a.refresh_from_db()
    assert api_key_of_a.last_used_at is not None


def test_revoked_api_key_is_refused_with_a_clear_message(owner_of_a, api_key_of_a, api_as):
    assert api_as(owner_of_a).delete(f"/api/v1/api-keys/{api_key_of_a.pk}/").status_code == 204
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_of_a.secret}")
    response = client.get("/api/v1/brands/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This API key was revoked."
    in_french = client.get("/api/v1/brands/").json()["error"]["message"]
    assert in_french == "Cette clé d’API a été révoquée."


def test_unknown_api_key_is_refused(api_client, agency_a):
    api_client.credentials(HTTP_AUTHORIZATION="Api-Key ak_deadbeef_not-a-real-key")
    response = api_client.get("/api/v1/brands/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_api_key_name_must_be_unique_in_the_agency(owner_of_a, api_key_of_a, api_as, in_agency):
    response = api_as(owner_of_a).post(
        "/api/v1/api-keys/",
        {"name": api_key_of_a.name.upper(), "scope": "read"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "already exists" in response.json()["error"]["fields"]["name"][0]
    assert ApiKey.unscoped.count() == 1


def test_api_key_with_unknown_scope_names_the_field(owner_of_a, api_as):
    response = api_as(owner_of_a).post(
        "/api/v1/api-keys/", {"name": "Zapier", "scope": "admin"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["scope"]
    assert ApiKey.unscoped.count() == 0


def test_an_api_key_cannot_create_another_key(api_key_of_a, api_as):
    response = api_as(api_key_of_a).post(
        "/api/v1/api-keys/", {"name": "Escalation", "scope": "read_write"}, format="json"
    )
    assert response.status_code == 403
    assert ApiKey.unscoped.count() == 1


def test_key_creation_and_revocation_are_audited(owner_of_a, api_as):
    client = api_as(owner_of_a)
    key_id = client.post(
        "/api/v1/api-keys/", {"name": "CRM", "scope": "read"}, format="json"
    ).json()["id"]
    client.delete(f"/api/v1/api-keys/{key_id}/")
    verbs = list(AuditEvent.unscoped.order_by("created_at").values_list("verb", flat=True))
    assert verbs == ["api_key.created", "api_key.revoked"]
