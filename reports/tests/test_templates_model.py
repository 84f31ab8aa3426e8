"""A report template: its sections, its period on the brand's calendar, its language."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from analytics.periods import Compare, Period
from clients.tests.factories import BrandFactory
from reports.models import PeriodKind, ReportLanguage, ReportTemplate
from reports.models.templates import validate_sections
from reports.section_keys import SectionKey
from reports.tests.factories import ReportTemplateFactory


def test_a_new_template_holds_every_section_in_the_registry_order():
    assert ReportTemplate().sections == list(SectionKey.values)


@pytest.mark.parametrize(
    "sections, code",
    [
        ([], "sections_empty"),
        ("cover", "sections_type"),
        (["cover", 3], "sections_type"),
        (["cover", "weather"], "sections_unknown"),
        (["kpis", "cover", "kpis"], "sections_repeated"),
    ],
)
def test_sections_are_a_list_of_known_keys_each_once(sections, code):
    with pytest.raises(ValidationError) as caught:
        validate_sections(sections)
    assert caught.value.code == code


def test_sections_keep_the_order_they_were_given():
    validate_sections(["kpis", "cover"])  # no error: any order is a report's order


def test_last_month_is_the_whole_previous_calendar_month():
    template = ReportTemplate(period_kind=PeriodKind.LAST_MONTH)
    assert template.period_on(dt.date(2026, 3, 1)) == Period(
        dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    )
    assert template.period_on(dt.date(2026, 1, 15)) == Period(
        dt.date(2025, 12, 1), dt.date(2025, 12, 31)
    )


def test_last_week_is_the_previous_monday_to_sunday():
    template = ReportTemplate(period_kind=PeriodKind.LAST_WEEK)
    # Thursday 3 December 2026: last week ran from Monday 23 to Sunday 29 November.
    assert template.period_on(dt.date(2026, 12, 3)) == Period(
        dt.date(2026, 11, 23), dt.date(2026, 11, 29)
    )


def test_the_last_n_days_end_yesterday():
    template = ReportTemplate(period_kind=PeriodKind.LAST_DAYS, period_days=14)
    assert template.period_on(dt.date(2026, 12, 3)) == Period(
        dt.date(2026, 11, 19), dt.date(2026, 12, 2)
    )


def test_the_comparison_follows_the_templates_choice():
    period = Period.month(2026, 11)
    assert ReportTemplate(compare=Compare.PREVIOUS).comparison_for(period) == Period(
        dt.date(2026, 10, 2), dt.date(2026, 10, 31)
    )
    assert ReportTemplate(compare=Compare.YEAR).comparison_for(period) == Period.month(2025, 11)
    assert ReportTemplate(compare=Compare.NONE).comparison_for(period) is None


def test_a_number_of_days_is_needed_for_the_last_n_days():
    template = ReportTemplate(name="Bimensuel", period_kind=PeriodKind.LAST_DAYS)
    with pytest.raises(ValidationError) as caught:
        template.clean()
    assert "period_days" in caught.value.message_dict


def test_other_periods_drop_a_number_of_days():
    template = ReportTemplate(name="Mensuel", period_kind=PeriodKind.LAST_MONTH, period_days=9)
    template.clean()
    assert template.period_days is None


@pytest.mark.django_db
def test_the_database_refuses_a_number_of_days_on_a_monthly_template(agency_a):
    with pytest.raises(IntegrityError):
        ReportTemplateFactory(agency=agency_a, period_kind=PeriodKind.LAST_MONTH, period_days=9)


@pytest.mark.django_db
def test_two_templates_of_an_agency_cannot_share_a_name(agency_a, agency_b):
    ReportTemplateFactory(agency=agency_a, name="Rapport mensuel")
    ReportTemplateFactory(agency=agency_b, name="Rapport mensuel")  # another agency: fine
    with pytest.raises(IntegrityError):
        ReportTemplateFactory(agency=agency_a, name="RAPPORT MENSUEL")


@pytest.mark.django_db
def test_the_brands_language_is_its_first_the_product_speaks(agency_a):
    template = ReportTemplate(agency=agency_a, language=ReportLanguage.BRAND)
    assert (
        template.language_for(BrandFactory.build(agency=agency_a, languages=["ar", "en"])) == "en"
    )
    assert template.language_for(BrandFactory.build(agency=agency_a, languages=["fr"])) == "fr"
    # Only Arabic: the agency's language.
    agency_a.language = "en"
    assert template.language_for(BrandFactory.build(agency=agency_a, languages=["ar"])) == "en"


def test_a_template_in_a_named_language_ignores_the_brands():
    template = ReportTemplate(language=ReportLanguage.ENGLISH)
    assert template.language_for(BrandFactory.build(languages=["fr"])) == "en"
