"""Cross-tenant isolation over EVERY route, found by walking the URL resolver and the OpenAPI
schema: a route added tomorrow is covered without anyone editing this file.

Each path id is filled with an object of another agency and must answer 404; lists must never
contain another agency's rows; anonymous visitors get the login page (dashboard) or 401 (API).

How ids map to objects: a dashboard parameter `<int:brand_id>` names its model (`Brand`); an
API `{id}` is the model of the viewset behind the path. The object is made by that model's
factory (any `*/tests/factories.py`), in agency B.
"""

import importlib
import re
from dataclasses import dataclass

import factory
import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from agency.models import Agency, Role
from agency.tests.factories import ApiKeyFactory, MembershipFactory

PROJECT_APPS = (
    "agency",
    "notifications",
    "webhooks",
    "clients",
    "campaigns",
    "reputation",
    "publishing",
    "engagement",
    "portal",
    "analytics",
    "reports",
)

# Third-party URL trees with their own tests, outside tenant data, or covered by the schema walk.
SKIPPED_PREFIXES = ("admin/", "accounts/", "i18n/", "api/", "static/", "media/")


# --- Discovery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespaced url name
    params: tuple[str, ...]
    callback: object


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = ":".join(filter(None, [namespace, ns])) if ns else namespace
            yield from _walk(entry.url_patterns, route, full_ns)
        elif isinstance(entry, URLPattern):
            yield route, namespace, entry


def dashboard_routes() -> list[Route]:
    routes = []
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        assert pattern.name, f"Dashboard URL {route!r} has no name: name it so it can be tested."
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        routes.append(Route(name, params, pattern.callback))
    return routes


def _factories_by_model() -> dict:
    found = {}
    for app in PROJECT_APPS:
        try:
            module = importlib.import_module(f"{app}.tests.factories")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and not value._meta.abstract
                and value._meta.model is not None
            ):
                found.setdefault(value._meta.model, value)
    return found


def _model_for_param(param: str):
    """`audit_event_id` -> AuditEvent, looked up among the project's models."""
    wanted = param.removesuffix("_id").replace("_", "")
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.lower() == wanted:
                return model
    raise AssertionError(
        f"URL parameter {param!r} names no model: call path ids <int:model_name_id>."
    )


def make_foreign_object(model, agency_b):
    """An object of `model` that belongs to agency B."""
    if model is Agency:
        return agency_b
    factory_class = _factories_by_model().get(model)
    assert factory_class, f"No factory for {model.__name__}: add one to its app's factories.py."
    return factory_class(agency=agency_b)


def is_public(callback) -> bool:
    view = getattr(callback, "view_class", callback)
    return getattr(callback, "public", False) or getattr(view, "public", False)


API_PARAM = re.compile(r"\{(\w+)\}")


def fill_api_path(path: str, value_for) -> str:
    """The path with each {param} replaced by ``value_for(param)`` (``{id}`` and the
    ``{<model>_id}`` of nested routes such as a post's variant)."""
    return API_PARAM.sub(lambda m: str(value_for(m.group(1))), path)


def api_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method


def _api_model(path: str):
    """The model behind an API path, from the viewset that serves it."""
    match = resolve(fill_api_path(path, lambda _param: 1))
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    model = getattr(view_class, "model", None)
    assert model is not None, f"{path}: the view names no model; set `model` on the viewset."
    return model


# --- Fixtures: agency B full of objects; A's people who must never see them --------------------


@pytest.fixture
def markers_of_b(agency_b, brand_b, owner_of_b):
    """Strings that appear only in agency B's data."""
    return [agency_b.name, brand_b.name, owner_of_b.user.email]


@pytest.fixture
def populated_b(agency_b, brand_b, owner_of_b):
    """One object of every tenant model, in agency B."""
    objects = {}
    for model in _factories_by_model():
        if model is Agency or not hasattr(model, "unscoped"):
            continue
        objects[model] = make_foreign_object(model, agency_b)
    return objects


# --- Dashboard ------------------------------------------------------------------------------


def test_dashboard_has_routes_to_check():
    assert len(dashboard_routes()) >= 5


@pytest.mark.parametrize("method", ["get", "post"])
def test_dashboard_answers_404_for_every_object_of_another_agency(
    method, owner_of_a, agency_b, login
):
    client = login(owner_of_a)
    checked = 0
    for route in dashboard_routes():
        id_params = [p for p in route.params if p.endswith("_id")]
        if not id_params or is_public(route.callback):
            continue
        kwargs = {
            param: make_foreign_object(_model_for_param(param), agency_b).pk for param in id_params
        }
        url = reverse(route.name, kwargs=kwargs)
        response = getattr(client, method)(url)
        assert response.status_code in (404, 405), (url, method, response.status_code)
        if response.status_code == 405:
            assert method not in response["Allow"].lower()
        checked += 1
    assert checked > 0


def test_dashboard_pages_never_show_another_agencys_data(owner_of_a, markers_of_b, login):
    client = login(owner_of_a)
    for route in dashboard_routes():
        if any(p.endswith("_id") for p in route.params) or route.params:
            continue
        response = client.get(reverse(route.name))
        # /health/ (public) answers 503 when no worker runs, as in this test.
        allowed = (200, 302, 403, 405, 503) if is_public(route.callback) else (200, 302, 403, 405)
        assert response.status_code in allowed, (route.name, response.status_code)
        body = response.content.decode()
        for marker in markers_of_b:
            assert marker not in body, (route.name, marker)


def test_anonymous_visitors_are_sent_to_login_everywhere_but_public_pages(client, brand_b):
    for route in dashboard_routes():
        if is_public(route.callback):
            continue
        kwargs = {p: (brand_b.pk if p.endswith("_id") else "x") for p in route.params}
        url = reverse(route.name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert "/accounts/login/" in response["Location"], url


def test_a_person_with_no_agency_sees_no_tenant_data(outsider, markers_of_b, brand_b, login):
    client = login(outsider)
    for route in dashboard_routes():
        if is_public(route.callback):
            continue
        kwargs = {p: (brand_b.pk if p.endswith("_id") else "x") for p in route.params}
        response = client.get(reverse(route.name, kwargs=kwargs))
        assert response.status_code in (200, 302, 403, 404), (route.name, response.status_code)
        for marker in markers_of_b:
            assert marker not in response.content.decode(), (route.name, marker)


def test_portal_pages_never_show_another_agencys_data_to_a_client(
    client_of_a, agency_b, markers_of_b, populated_b, login, settings
):
    """The client portal (namespace `portal`), as a client of A: on the product's address,
    nothing of B's; on agency B's own portal domain, nothing of A's (and no page opens)."""
    settings.PORTAL_CUSTOM_DOMAINS, settings.ALLOWED_HOSTS = True, ["*"]
    settings.PRODUCT_HOSTS = ["testserver"]
    Agency.objects.filter(pk=agency_b.pk).update(portal_domain="portal.bahia.test")
    client = login(client_of_a)
    portal_routes = [r for r in dashboard_routes() if r.name.startswith("portal:")]
    assert portal_routes
    for route in portal_routes:
        kwargs = {
            param: make_foreign_object(_model_for_param(param), agency_b).pk
            for param in route.params
        }
        url = reverse(route.name, kwargs=kwargs)
        response = client.get(url)
        if response.status_code == 405:  # a form's action (POST only): what a POST answers
            response = client.post(url)
            assert response.status_code == (404 if kwargs else 302), (url, response.status_code)
        else:
            assert response.status_code == (404 if kwargs else 200), (url, response.status_code)
        for marker in markers_of_b:
            assert marker not in response.content.decode(), (url, marker)
        on_b = client.get(url, HTTP_HOST="portal.bahia.test")
        assert on_b.status_code in (403, 404), (url, on_b.status_code)
        assert client_of_a.agency.name not in on_b.content.decode(), url


# --- API ------------------------------------------------------------------------------------


def test_schema_lists_the_api_routes():
    paths = {path for path, _ in api_operations()}
    assert {"/api/v1/brands/", "/api/v1/brands/{id}/", "/api/v1/members/{id}/"} <= paths
    # The inbox's newer routes, named so that a change in how they are served cannot drop them
    # from the walks below unnoticed.
    assert {"/api/v1/listed-authors/", "/api/v1/listed-authors/{id}/"} <= paths
    # The community census (listening), walked below with every other list.
    assert "/api/v1/listening/census/" in paths

    # Per-network decisions and bulk approval (issue 14).
    assert {
        "/api/v1/posts/{id}/reject/",
        "/api/v1/posts/{id}/variants/{post_variant_id}/decision/",
        "/api/v1/posts/bulk-approve/",
    } <= paths
    # The metrics of analytics (another agency's post variant or account is a 404 like any).
    assert {
        "/api/v1/metrics/post-variants/",
        "/api/v1/metrics/post-variants/{id}/",
        "/api/v1/metrics/social-accounts/",
        "/api/v1/metrics/social-accounts/{id}/",
        "/api/v1/metrics/brands/{id}/",
    } <= paths


def test_the_dashboard_walk_covers_the_census_and_the_live_mention_stream():
    names = {route.name for route in dashboard_routes()}
    assert {"listening:census", "listening:census_export", "listening:mentions_new"} <= names


def test_a_post_of_another_agency_with_its_own_variant_is_not_found(api_of_a, agency_b):
    from campaigns.tests.factories import PostVariantFactory

    variant = PostVariantFactory(agency=agency_b, post__state="in_review")
    answer = api_of_a.post(
        f"/api/v1/posts/{variant.post_id}/variants/{variant.pk}/decision/",
        {"decision": "approved"},
        format="json",
    )
    assert answer.status_code in (403, 404)
    assert variant.__class__.unscoped.get(pk=variant.pk).review == "pending"


def test_bulk_approve_reports_another_agencys_posts_as_not_found(
    api_of_a, owner_of_a, agency_b, login
):
    from campaigns.models import Post
    from campaigns.tests.factories import PostFactory

    foreign = PostFactory(agency=agency_b, state="in_review", review_stage="internal")
    answer = api_of_a.post("/api/v1/posts/bulk-approve/", {"posts": [foreign.pk]}, format="json")
    if answer.status_code != 403:  # a read-write key may not approve: refused before any look-up
        assert answer.status_code == 200
        assert answer.json()["results"][0]["code"] == "not_found"
    login(owner_of_a).post(reverse("campaigns:posts_bulk_approve"), {"posts": [foreign.pk]})
    assert Post.unscoped.get(pk=foreign.pk).state == "in_review"


@pytest.fixture(params=["session", "api_key"])
def api_of_a(request, owner_of_a, agency_a, api_as):
    if request.param == "session":
        return api_as(owner_of_a)
    return api_as(ApiKeyFactory(agency=agency_a, scope="read_write"))


def test_api_answers_404_for_every_object_of_another_agency(api_of_a, agency_b, populated_b):
    checked = 0
    for path, method in api_operations():
        if "{id}" not in path:
            continue
        foreign = populated_b.get(_api_model(path)) or make_foreign_object(
            _api_model(path), agency_b
        )
        url = fill_api_path(
            path,
            lambda param, foreign=foreign: (
                foreign.pk
                if param == "id"
                else make_foreign_object(_model_for_param(param), agency_b).pk
            ),
        )
        response = getattr(api_of_a, method)(url, {}, format="json")
        if response.status_code == 403:
            # Refused by role or key scope before any lookup: the same answer as for an id
            # that exists nowhere, so nothing leaks.
            missing = fill_api_path(path, lambda _param: 999999999)
            assert getattr(api_of_a, method)(missing, {}, format="json").status_code == 403
            continue
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json()["error"]["code"] == "not_found"
        checked += 1
    assert checked >= 5


def test_api_lists_never_contain_another_agencys_rows(api_of_a, agency_a, populated_b):
    from clients.tests.factories import BrandFactory

    BrandFactory(agency=agency_a)
    MembershipFactory(agency=agency_a, role=Role.ANALYST)
    for path, method in api_operations():
        if method != "get" or "{" in path:
            continue
        response = api_of_a.get(path)
        if response.status_code == 403:  # the key's scope does not reach it
            continue
        assert response.status_code == 200, (path, response.status_code)
        body = response.json()
        rows = body.get("results") if isinstance(body, dict) and "results" in body else None
        if rows is None:
            continue
        model = _api_model(path)
        ids = [row["id"] for row in rows]
        agencies = set(model.unscoped.filter(pk__in=ids).values_list("agency_id", flat=True))
        assert agencies <= {agency_a.pk}, (path, agencies)


def test_api_refuses_anonymous_callers_everywhere(api_client, brand_b):
    for path, method in api_operations():
        url = fill_api_path(path, lambda _param: brand_b.pk)
        response = getattr(api_client, method)(url, {}, format="json")
        assert response.status_code == 401, (method, url, response.status_code)
        assert response["WWW-Authenticate"] == "Api-Key"


def test_api_refuses_a_signed_in_person_without_an_agency(api_client, outsider, brand_b):
    api_client.force_login(outsider)
    for path, method in api_operations():
        url = fill_api_path(path, lambda _param: brand_b.pk)
        response = getattr(api_client, method)(url, {}, format="json")
        assert response.status_code == 403, (method, url, response.status_code)


def test_api_key_of_another_agency_cannot_reach_this_one(api_as, agency_b, brand_a):
    client = api_as(ApiKeyFactory(agency=agency_b))
    assert client.get(f"/api/v1/brands/{brand_a.pk}/").status_code == 404
    assert client.get("/api/v1/brands/").json()["results"] == []
