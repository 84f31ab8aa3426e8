"""The dashboard shell: sign-in, no-agency page, switchers, language, two-factor, error pages."""

from django.template.loader import render_to_string
from django.urls import reverse

from agency.models import Agency, Membership, Role
from agency.tests.factories import AuditEventFactory, MembershipFactory
from clients.tests.factories import BrandFactory


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("dashboard:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_overview_shows_real_counts_and_recent_activity(owner_of_a, brand_a, member_of_a, login):
    AuditEventFactory(agency=owner_of_a.agency, verb="brand.created", target_label="Café Tanger")
    response = login(owner_of_a).get(reverse("dashboard:overview"))
    assert response.status_code == 200
    assert response.context["brand_count"] == 1
    assert response.context["member_count"] == 2
    assert [e.verb for e in response.context["recent_events"]] == ["brand.created"]


def test_overview_hides_audit_and_members_from_a_community_manager(member_of_a, login):
    response = login(member_of_a).get(reverse("dashboard:overview"))
    assert response.context["recent_events"] is None
    assert response.context["member_count"] is None
    assert reverse("dashboard:audit_log") not in response.content.decode()


def test_empty_agency_overview_invites_the_owner_to_create_a_brand_and_invite_a_team(
    owner_of_a, login
):
    body = login(owner_of_a).get(reverse("dashboard:overview")).content.decode()
    assert reverse("brands:create") in body
    assert reverse("dashboard:invitations") in body


def test_empty_agency_overview_gives_a_community_manager_no_link_they_cannot_use(
    member_of_a, login
):
    body = login(member_of_a).get(reverse("dashboard:overview")).content.decode()
    assert reverse("brands:create") not in body
    assert reverse("dashboard:invitations") not in body


def test_person_without_agency_is_offered_to_create_one(outsider, login):
    client = login(outsider)
    response = client.get(reverse("dashboard:overview"))
    assert response.status_code == 200
    assert "dashboard/no_agency.html" in [t.name for t in response.templates]

    response = client.post(
        reverse("dashboard:agency_create"),
        {"name": "Agence Rif", "time_zone": "Africa/Casablanca"},
    )
    assert response.status_code == 302
    membership = Membership.unscoped.get(user=outsider)
    assert membership.role == Role.OWNER
    assert membership.agency.name == "Agence Rif"
    assert client.session["active_agency_id"] == membership.agency_id


def test_creating_an_agency_without_a_name_shows_the_error_on_the_field(outsider, login):
    response = login(outsider).post(
        reverse("dashboard:agency_create"), {"name": "   ", "time_zone": "Africa/Casablanca"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Membership.unscoped.filter(user=outsider).exists()


def test_agency_switcher_lists_only_my_agencies_and_switches(
    owner_of_a, agency_b, owner_of_b, login
):
    other = MembershipFactory(agency=agency_b, user=owner_of_a.user, role=Role.ANALYST)
    client = login(owner_of_a)
    body = client.get(reverse("dashboard:overview")).content.decode()
    assert "Bahia Social" in body  # the person's second agency

    response = client.post(reverse("dashboard:agency_switch", kwargs={"agency_id": agency_b.pk}))
    assert response.status_code == 302
    assert client.session["active_agency_id"] == other.agency_id
    assert client.get(reverse("dashboard:overview")).context["agency"] == agency_b


def test_switching_to_an_agency_you_do_not_belong_to_is_404(owner_of_a, agency_b, login):
    client = login(owner_of_a)
    response = client.post(reverse("dashboard:agency_switch", kwargs={"agency_id": agency_b.pk}))
    assert response.status_code == 404
    assert client.session["active_agency_id"] == owner_of_a.agency_id


def test_switching_agency_needs_a_post(owner_of_a, login):
    url = reverse("dashboard:agency_switch", kwargs={"agency_id": owner_of_a.agency_id})
    assert login(owner_of_a).get(url).status_code == 405


def test_client_approver_sees_only_their_brands_in_the_switcher(client_of_a, agency_a, login):
    BrandFactory(agency=agency_a, name="Marque Secrète")
    response = login(client_of_a).get(reverse("campaigns:calendar"))
    assert [b.name for b in response.context["switcher_brands"]] == ["Café Tanger"]
    assert "Marque Secrète" not in response.content.decode()


def test_brand_switch_remembers_the_brand_and_returns_to_the_page(owner_of_a, brand_a, login):
    client = login(owner_of_a)
    response = client.post(
        reverse("brands:select", kwargs={"brand_id": brand_a.pk}), {"next": "/brands/"}
    )
    assert response["Location"] == "/brands/"
    assert client.session["current_brand_id"] == brand_a.pk


def test_brand_switch_ignores_a_next_address_on_another_site(owner_of_a, brand_a, login):
    response = login(owner_of_a).post(
        reverse("brands:select", kwargs={"brand_id": brand_a.pk}),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("dashboard:overview")


def test_client_cannot_switch_to_a_brand_they_were_not_given(client_of_a, agency_a, login):
    other = BrandFactory(agency=agency_a)
    response = login(client_of_a).post(reverse("brands:select", kwargs={"brand_id": other.pk}))
    assert response.status_code == 404


def test_pages_are_in_french_by_default_and_english_on_request(owner_of_a, login):
    client = login(owner_of_a)
    response = client.get(reverse("dashboard:overview"))
    assert '<html lang="fr">' in response.content.decode()
    assert "Vue d’ensemble" in response.content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("dashboard:overview"))
    assert '<html lang="en">' in response.content.decode()
    assert "Overview" in response.content.decode()


def test_agency_requiring_two_factor_sends_member_to_setup(owner_of_a, login):
    Agency.objects.filter(pk=owner_of_a.agency_id).update(require_two_factor=True)
    response = login(owner_of_a).get(reverse("dashboard:overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_sidebars_reports_opens_the_report_templates(member_of_a, login):
    response = login(member_of_a).get(reverse("dashboard:overview"))
    assert reverse("reports:template_list") in response.content.decode()
    assert "app-soon" not in response.content.decode()


def test_the_report_templates_page_leads_to_the_report_history(member_of_a, login):
    client = login(member_of_a)
    page = client.get(reverse("reports:template_list")).content.decode()
    assert reverse("reports:runs") in page
    assert client.get(reverse("reports:runs")).status_code == 200


def test_a_role_without_the_right_gets_the_403_page(member_of_a, login):
    response = login(member_of_a).get(reverse("dashboard:settings_agency"))
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]


def test_error_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "<html" in html and "/static/" in html


def test_no_page_loads_anything_from_another_site(owner_of_a, brand_a, login):
    body = login(owner_of_a).get(reverse("dashboard:overview")).content.decode()
    assert "cdn" not in body.lower()
    assert 'src="http' not in body and 'href="http' not in body
