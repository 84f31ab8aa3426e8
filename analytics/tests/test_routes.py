"""The analytics pages are among the routes the cross-tenant isolation walk checks
(agency/tests/test_isolation.py): a rename that dropped one from the resolver fails here."""

from agency.tests.test_isolation import dashboard_routes

ANALYTICS_ROUTES = {
    "dashboard:analytics",
    "dashboard:brand_analytics",
    "dashboard:campaign_analytics",
}


def test_the_isolation_walk_covers_the_analytics_pages():
    assert {route.name for route in dashboard_routes()} >= ANALYTICS_ROUTES
