"""Bulk: a CSV of posts is checked row by row; nothing is created until every row is valid or
the user chooses to import only the valid ones."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Post, PostImport, PostVariant
from campaigns.services.imports import post_import_commit, post_import_preview
from campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.usefixtures("en")

BAD_LINES = {
    23: "accounts",  # unknown account
    57: "time",  # not a date
    101: "Bluesky allows 300 characters",  # too long for one of its networks
    150: "campaign",  # unknown campaign
    188: "does not exist",  # a time Casablanca's clocks skip
}


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    out.write("text,accounts,time,media_url,first_comment,campaign\n")
    for row in rows:
        out.write(
            ",".join(
                '"' + str(row.get(key, "")).replace('"', '""') + '"'
                for key in ("text", "accounts", "time", "media_url", "first_comment", "campaign")
            )
            + "\n"
        )
    return out.getvalue().encode()


@pytest.fixture
def csv_200(agency_a, brand_a, accounts_a):
    CampaignFactory(agency=agency_a, brand=brand_a, name="Ramadan")
    rows = []
    for line in range(2, 202):  # line 1 is the header
        row = {
            "text": f"Publication numéro {line} #ramadan",
            # A first comment only where every network takes one (LinkedIn, not Bluesky).
            "accounts": "cafe-tanger" if line % 4 == 0 else "cafetanger.bsky.social|cafe-tanger",
            "time": f"2030-{(line % 12) + 1:02d}-{(line % 27) + 1:02d} 18:30",
            "media_url": "https://cdn.cafe-tanger.ma/ftour.jpg" if line % 3 == 0 else "",
            "first_comment": "Réservez au 05 39 00 00 00" if line % 4 == 0 else "",
            "campaign": "Ramadan" if line % 2 == 0 else "",
        }
        problem = BAD_LINES.get(line)
        if problem == "accounts":
            row["accounts"] = "inconnu.bsky.social"
        elif problem == "time":
            row["time"] = "demain soir"
        elif problem and problem.startswith("Bluesky"):
            row["text"] = "x" * 320
            row["accounts"] = "cafetanger.bsky.social|cafe-tanger"
        elif problem == "campaign":
            row["campaign"] = "Noël"
        elif problem == "does not exist":
            row["time"] = "2027-03-14 02:30"
        rows.append(row)
    return _csv(rows)


def _preview(member, brand, content, in_agency):
    with in_agency(brand.agency_id):
        return post_import_preview(
            actor=member, brand=brand, upload=SimpleUploadedFile("posts.csv", content)
        )


def test_a_200_row_csv_with_5_bad_rows_reports_exactly_those_5(
    csv_200, member_of_a, brand_a, in_agency
):
    preview = _preview(member_of_a, brand_a, csv_200, in_agency)
    assert len(preview.rows) == 200
    bad = {row["line"]: " ".join(row["errors"]) for row in preview.error_rows}
    assert set(bad) == set(BAD_LINES)
    for line, expected in BAD_LINES.items():
        assert expected in bad[line], (line, bad[line])
    assert not Post.unscoped.exists()  # a preview creates nothing


def test_nothing_is_imported_while_a_row_has_errors(csv_200, member_of_a, brand_a, in_agency):
    preview = _preview(member_of_a, brand_a, csv_200, in_agency)
    with in_agency(brand_a.agency_id), pytest.raises(ValidationError, match="5 row"):
        post_import_commit(actor=member_of_a, post_import=preview)
    assert not Post.unscoped.exists()


def test_the_user_may_import_only_the_valid_rows(csv_200, member_of_a, brand_a, in_agency):
    preview = _preview(member_of_a, brand_a, csv_200, in_agency)
    with in_agency(brand_a.agency_id):
        created = post_import_commit(actor=member_of_a, post_import=preview, valid_only=True)
    assert len(created) == 195
    assert PostVariant.unscoped.count() == 195 * 2 - 49  # rows on LinkedIn only
    first = Post.unscoped.order_by("id").first()
    assert first.state == "draft"
    # 2030-03-03 18:30 in Casablanca (UTC+1 outside Ramadan) = 17:30 UTC.
    assert first.scheduled_at.isoformat() == "2030-03-03T17:30:00+00:00"
    assert PostImport.unscoped.get(pk=preview.pk).status == "imported"
    with in_agency(brand_a.agency_id), pytest.raises(ValidationError, match="already"):
        post_import_commit(actor=member_of_a, post_import=preview, valid_only=True)


def test_a_valid_csv_imports_every_row(member_of_a, brand_a, accounts_a, in_agency):
    content = _csv(
        [{"text": "Bonjour", "accounts": "@cafe@mastodon.social", "time": "2030-01-05 09:00"}]
    )
    preview = _preview(member_of_a, brand_a, content, in_agency)
    with in_agency(brand_a.agency_id):
        assert len(post_import_commit(actor=member_of_a, post_import=preview)) == 1


def test_a_csv_without_the_needed_columns_is_refused(member_of_a, brand_a, in_agency):
    with pytest.raises(ValidationError, match="missing: accounts"):
        _preview(member_of_a, brand_a, b"text;time\nBonjour;2030-01-01 10:00\n", in_agency)


def test_semicolon_separated_csv_from_a_french_spreadsheet_is_read(
    member_of_a, brand_a, accounts_a, in_agency
):
    content = b"text;accounts;time\nBonjour, Tanger;cafe-tanger;05/01/2030 09:00\n"
    preview = _preview(member_of_a, brand_a, content, in_agency)
    assert preview.rows[0]["errors"] == []
    assert preview.rows[0]["data"]["text"] == "Bonjour, Tanger"


def test_the_import_pages_preview_then_import_the_valid_rows(
    csv_200, member_of_a, brand_a, en_login
):
    client = en_login(member_of_a)
    response = client.post(
        reverse("campaigns:post_import"),
        {"brand": brand_a.pk, "file": SimpleUploadedFile("posts.csv", csv_200)},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "5 with errors" in page
    assert page.count('class="table-danger"') == 5
    response = client.post(response["Location"], {"valid_only": "1"})
    assert response.status_code == 302
    assert Post.unscoped.count() == 195
