"""The API documentation page renders fast (issue 17: "LOADING" for 5-7 s): Swagger UI comes
from our own static files and reads the schema as JSON, and the schema is computed once, then
served from memory."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from agency.api import schema_views

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_our_static_swagger_and_asks_for_the_json_schema(client):
    html = client.get("/api/v1/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
    assert '"/api/v1/schema/?format\\u003Djson"' in html
    assert '"docExpansion": "none"' in html


def test_the_schema_is_generated_once_and_then_served_from_memory(client, monkeypatch):
    schema_views._schemas.clear()
    calls = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)

    first = client.get("/api/v1/schema/?format=json")
    second = client.get("/api/v1/schema/?format=json")
    as_yaml = client.get("/api/v1/schema/")

    assert first.status_code == second.status_code == as_yaml.status_code == 200
    assert first.json() == second.json()
    assert first.json()["openapi"].startswith("3")
    assert as_yaml.content.startswith(b"openapi: 3")
    assert len(calls) == 1
