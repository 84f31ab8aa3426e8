"""An agency's own portal domain: it opens that agency's portal and nothing else (no dashboard,
API or admin), for that agency's members only; the product's own names keep the whole product;
any other name is refused."""

import pytest

from agency.models import Agency, Role
from agency.tests.factories import BrandAccessFactory, MembershipFactory

PORTAL_A = "portal.atlas-digital.ma"
PORTAL_B = "clients.bahia-social.ma"


@pytest.fixture(autouse=True)
def _custom_domains(settings, agency_a, agency_b):
    settings.PORTAL_CUSTOM_DOMAINS = True
    settings.ALLOWED_HOSTS = ["*"]  # what the settings module does when the flag is on
    settings.PRODUCT_HOSTS = ["testserver", "app.agency-social.ma"]
    Agency.objects.filter(pk=agency_a.pk).update(portal_domain=PORTAL_A)
    Agency.objects.filter(pk=agency_b.pk).update(portal_domain=PORTAL_B)


def test_an_agencys_domain_opens_its_portal_for_its_client(client_of_a, login):
    response = login(client_of_a).get("/portal/", HTTP_HOST=PORTAL_A)
    assert response.status_code == 200
    assert response.context["branding"].name == "Atlas Digital"
    assert "Café Tanger" in response.content.decode()


def test_the_domains_root_leads_to_the_portal(client):
    response = client.get("/", HTTP_HOST=PORTAL_A)
    assert response.status_code == 302 and response["Location"] == "/portal/"


@pytest.mark.parametrize(
    "path", ["/brands/", "/calendar/", "/approvals/", "/api/v1/agency/", "/admin/", "/health/"]
)
def test_a_portal_domain_refuses_the_dashboard_api_and_admin(owner_of_a, login, path):
    assert login(owner_of_a).get(path, HTTP_HOST=PORTAL_A).status_code == 404


def test_sign_in_and_the_language_switch_work_on_a_portal_domain(client):
    assert client.get("/accounts/login/", HTTP_HOST=PORTAL_A).status_code == 200
    response = client.post("/i18n/setlang/", {"language": "en"}, HTTP_HOST=PORTAL_A)
    assert response.status_code == 302


def test_the_products_own_address_keeps_the_whole_product(owner_of_a, login):
    client = login(owner_of_a)
    assert client.get("/brands/", HTTP_HOST="app.agency-social.ma").status_code == 200
    assert client.get("/portal/", HTTP_HOST="testserver").status_code == 200


def test_an_unknown_host_is_refused(client):
    assert client.get("/portal/", HTTP_HOST="evil.example.com").status_code == 400
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400


def test_a_member_of_two_agencies_sees_only_the_domains_agency_there(
    agency_a, agency_b, brand_a, brand_b, login
):
    in_a = MembershipFactory(agency=agency_a, role=Role.CLIENT_APPROVER)
    BrandAccessFactory(membership=in_a, agency=agency_a, brand=brand_a)
    person = in_a.user
    in_b = MembershipFactory(agency=agency_b, user=person, role=Role.CLIENT_APPROVER)
    BrandAccessFactory(membership=in_b, agency=agency_b, brand=brand_b)
    client = login(person)
    session = client.session
    session["active_agency_id"] = agency_a.pk  # A is where they last worked
    session.save()
    response = client.get("/portal/", HTTP_HOST=PORTAL_B)
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["branding"].name == "Bahia Social"
    assert "Bahia Surf" in body
    assert "Café Tanger" not in body and "Atlas Digital" not in body


def test_another_agencys_domain_shows_nothing_of_this_agency(client_of_a, login):
    response = login(client_of_a).get("/portal/", HTTP_HOST=PORTAL_B)
    body = response.content.decode()
    assert response.status_code == 403
    assert "Café Tanger" not in body and "Atlas Digital" not in body
    # Nor does any other portal page, or this agency's logo file.
    for path in ("/portal/published/", "/portal/calendar/", "/portal/activity/"):
        response = login(client_of_a).get(path, HTTP_HOST=PORTAL_B)
        assert response.status_code == 403
        assert "Café Tanger" not in response.content.decode()


def test_with_custom_domains_off_a_portal_domain_is_an_unknown_host(settings, client):
    settings.PORTAL_CUSTOM_DOMAINS = False
    settings.ALLOWED_HOSTS = ["testserver"]
    assert client.get("/portal/", HTTP_HOST=PORTAL_A).status_code == 400
