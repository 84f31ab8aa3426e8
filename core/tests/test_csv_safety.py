"""CSV exports: a cell a spreadsheet would evaluate gets a leading apostrophe, whatever hides
the formula's first character."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.csv_safety import csv_safe


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1",
        "-1+2",
        "@SUM(A1)",
        "|calc",
        "  =1+1",  # leading spaces
        "\u00a0=1+1",  # no-break space
        "\u200b=1+1",  # zero-width space
        "\ufeff=1+1",  # byte-order mark
        "\u2060\u200d@x",  # word joiner, zero-width joiner
        "\uff1d1+1",  # full-width =
        "\uff0b1",  # full-width +
        "\uff0d1",  # full-width -
        "\uff20x",  # full-width @
        "\t=1",
        "\r=1",
        '\n=HYPERLINK("http://evil")',
    ],
)
def test_formula_starts_are_neutralised_also_when_hidden(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Bonjour", "a=b", "Tanger - Rabat", "مرحبا", "", "#ramadan"])
def test_plain_text_is_left_alone(text):
    assert csv_safe(text) == text


def test_numbers_are_written_as_numbers_even_when_negative():
    assert (
        csv_safe(-0.5) == -0.5
        and csv_safe(-3) == -3
        and csv_safe(Decimal("-1.2")) == Decimal("-1.2")
    )
    assert csv_safe(None) == ""


HOSTILE = ['\u200b=HYPERLINK("http://evil")', "\uff1dcmd|'/c calc'!A1", "  @SUM(1)", "|x"]


def _cells(response) -> list[str]:
    text = response.content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_the_calendar_export_neutralises_every_hidden_formula(agency_a, brand_a, owner_of_a, login):
    from campaigns.tests.factories import PostFactory

    for title in HOSTILE:
        PostFactory(agency=agency_a, brand=brand_a, title=title, text=title)
    cells = _cells(login(owner_of_a).get(reverse("campaigns:calendar_export")))
    for title in HOSTILE:
        assert cells.count("'" + title) == 2  # title and text
        assert title not in cells


def test_the_mention_export_neutralises_every_hidden_formula(agency_a, brand_a, owner_of_a, login):
    from reputation.tests.factories import MentionFactory

    for text in HOSTILE:
        MentionFactory(agency=agency_a, brand=brand_a, text=text, title="")
    cells = _cells(login(owner_of_a).get("/listening/export.csv?brand="))
    for text in HOSTILE:
        assert "'" + text in cells and text not in cells
