"""Cross-tenant isolation of the public token pages (invitations, sign-in links, approval
links, connection links...): found by walking the URL resolver, as test_isolation.py does."""

from django.urls import reverse

from agency.tests.test_isolation import (  # noqa: F401 (fixtures)
    Route,
    dashboard_routes,
    is_public,
    markers_of_b,
    populated_b,
)


def public_token_routes() -> list[Route]:
    return [r for r in dashboard_routes() if is_public(r.callback) and "token" in r.params]


def test_public_token_pages_answer_404_for_a_token_that_opens_nothing(
    client,
    owner_of_a,
    markers_of_b,  # noqa: F811 (the fixture imported above)
    populated_b,  # noqa: F811
    login,
):
    """The token is the credential of these pages: a forged one opens nothing of anyone's,
    signed in (as another agency's owner) or not."""
    routes = public_token_routes()
    assert {"sign_in_link_confirm", "invitation_accept", "connection_link"} <= {
        r.name for r in routes
    }
    for signed_in in (False, True):
        if signed_in:
            login(owner_of_a)
        for route in routes:
            kwargs = {p: ("forged-token" if p == "token" else "x") for p in route.params}
            for method in ("get", "post"):
                response = getattr(client, method)(reverse(route.name, kwargs=kwargs))
                assert response.status_code in (404, 405), (route.name, method, signed_in)
                for marker in markers_of_b:
                    assert marker not in response.content.decode(), (route.name, marker)
