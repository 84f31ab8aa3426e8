"""The report templates' pages: the team writes templates (sections chosen and ordered,
commentary, period, comparison, language); client roles only open their brands' reports."""

import pytest
from django.urls import reverse

from agency.models import AuditEvent, Role
from agency.tests.factories import BrandAccessFactory
from clients.tests.factories import BrandFactory
from reports.models import PeriodKind, ReportTemplate
from reports.section_keys import SectionKey
from reports.tests.factories import ReportTemplateFactory


def _form(**overrides):
    data = {
        "name": "Bilan mensuel",
        "commentary": "Un bon mois.\n\nLa suite en janvier.",
        "period_kind": PeriodKind.LAST_MONTH,
        "period_days": "",
        "compare": "previous",
        "language": "brand",
        "include_kpis": "on",
        "position_kpis": "2",
        "include_cover": "on",
        "position_cover": "1",
        "include_crises": "on",
        "position_crises": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def client_viewer_of_a(agency_a, brand_a, member_factory):
    viewer = member_factory(agency_a, Role.CLIENT_VIEWER)
    BrandAccessFactory(membership=viewer, agency=agency_a, brand=brand_a)
    return viewer


def test_the_team_creates_a_template_with_its_sections_in_the_order_given(
    member_of_a, login, in_agency, agency_a
):
    response = login(member_of_a).post(reverse("reports:template_create"), _form())
    assert response.status_code == 302
    with in_agency(agency_a):
        template = ReportTemplate.objects.get()
        # Positions first; a ticked section without a position comes after them.
        assert template.sections == ["cover", "kpis", "crises"]
        assert template.commentary.startswith("Un bon mois.")
        assert AuditEvent.objects.filter(verb="report_template.created").exists()


def test_a_template_without_a_section_is_refused_with_a_message(
    member_of_a, login, in_agency, agency_a
):
    data = {k: v for k, v in _form().items() if not k.startswith("include_")}
    response = login(member_of_a).post(reverse("reports:template_create"), data)
    assert response.status_code == 200
    assert "Choose at least one section." in response.content.decode() or (
        "Choisissez au moins une section." in response.content.decode()
    )
    with in_agency(agency_a):
        assert not ReportTemplate.objects.exists()


def test_the_last_n_days_need_a_number_of_days(member_of_a, login, in_agency, agency_a):
    response = login(member_of_a).post(
        reverse("reports:template_create"), _form(period_kind=PeriodKind.LAST_DAYS)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period_days"]
    with in_agency(agency_a):
        assert not ReportTemplate.objects.exists()


def test_a_position_that_is_not_a_number_is_refused(member_of_a, login):
    response = login(member_of_a).post(
        reverse("reports:template_create"), _form(position_kpis="deux")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["position_kpis"]


def test_a_name_the_agency_already_uses_is_refused(member_of_a, login, agency_a, in_agency):
    ReportTemplateFactory(agency=agency_a, name="Bilan mensuel")
    response = login(member_of_a).post(
        reverse("reports:template_create"), _form(name="BILAN MENSUEL")
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() or response.context["form"].errors
    with in_agency(agency_a):
        assert ReportTemplate.objects.count() == 1


def test_editing_reorders_the_sections(member_of_a, login, agency_a, in_agency):
    template = ReportTemplateFactory(agency=agency_a, sections=["cover", "kpis"])
    url = reverse("reports:template_edit", kwargs={"report_template_id": template.pk})
    page = login(member_of_a).get(url)
    assert page.status_code == 200
    response = login(member_of_a).post(
        url, _form(position_kpis="1", position_cover="3", position_crises="2")
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.sections == ["kpis", "crises", "cover"]


def test_deleting_a_template(member_of_a, login, agency_a, in_agency):
    template = ReportTemplateFactory(agency=agency_a)
    url = reverse("reports:template_delete", kwargs={"report_template_id": template.pk})
    assert login(member_of_a).post(url).status_code == 302
    with in_agency(agency_a):
        assert not ReportTemplate.objects.exists()


def test_client_roles_cannot_manage_templates(client_viewer_of_a, login, agency_a):
    template = ReportTemplateFactory(agency=agency_a)
    client = login(client_viewer_of_a)
    assert client.get(reverse("reports:template_create")).status_code == 403
    edit = reverse("reports:template_edit", kwargs={"report_template_id": template.pk})
    assert client.get(edit).status_code == 403
    assert client.post(edit, _form()).status_code == 403


def test_a_client_sees_the_templates_with_only_their_brands_to_open(
    client_viewer_of_a, login, agency_a, brand_a
):
    other = BrandFactory(agency=agency_a, name="Atlas Télécom")
    template = ReportTemplateFactory(agency=agency_a, name="Bilan mensuel")
    response = login(client_viewer_of_a).get(reverse("reports:template_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bilan mensuel" in page
    kwargs = {"report_template_id": template.pk}
    assert reverse("reports:report_preview", kwargs={**kwargs, "brand_id": brand_a.pk}) in page
    assert reverse("reports:report_preview", kwargs={**kwargs, "brand_id": other.pk}) not in page
    assert reverse("reports:template_create") not in page


def test_every_section_is_offered_in_the_form(member_of_a, login):
    page = login(member_of_a).get(reverse("reports:template_create")).content.decode()
    for key in SectionKey.values:
        assert f'name="include_{key}"' in page
