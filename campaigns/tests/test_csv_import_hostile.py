"""Hostile CSV imports get a clear error naming the problem (and its line), never a 500; the
file is read as a stream and refused past its size cap before it is read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from campaigns.models import PostImport
from campaigns.services.imports import post_import_preview

pytestmark = pytest.mark.usefixtures("en")

HEADER = b"text,accounts,time\n"


def _post(client, brand, content: bytes):
    return client.post(
        reverse("campaigns:post_import"),
        {"brand": brand.pk, "file": SimpleUploadedFile("posts.csv", content)},
    )


def _form_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["form"].errors["file"])


def test_a_cell_over_128_kb_is_a_clear_error_naming_its_line(
    member_of_a, brand_a, accounts_a, en_login
):
    content = HEADER + b"Bonjour,cafe-tanger,\n" + b'"' + b"x" * 140_000 + b'",cafe-tanger,\n'
    errors = _form_errors(_post(en_login(member_of_a), brand_a, content))
    assert "Line 3 has a cell longer than 65536 characters." in errors
    assert not PostImport.unscoped.exists()


def test_a_cell_over_our_cap_but_under_the_csv_modules_is_refused_too(
    member_of_a, brand_a, accounts_a, en_login
):
    content = HEADER + b'"' + b"x" * 70_000 + b'",cafe-tanger,\n'
    errors = _form_errors(_post(en_login(member_of_a), brand_a, content))
    assert "Line 2 has a cell longer than 65536 characters." in errors


def test_a_30_mb_file_is_refused_by_its_size_before_it_is_read(
    member_of_a, brand_a, accounts_a, en_login, in_agency
):
    upload = TemporaryUploadedFile("posts.csv", "text/csv", 0, "utf-8")
    upload.write(HEADER)
    row = b"Bonjour Tanger,cafe-tanger,\n"
    upload.write(row * (30 * 2**20 // len(row)))
    upload.size = upload.tell()
    upload.seek(0)
    with in_agency(brand_a.agency_id), pytest.raises(Exception) as refused:
        post_import_preview(actor=member_of_a, brand=brand_a, upload=upload)
    assert "The CSV has 30.0 MB; an import may have at most 5 MB." in str(refused.value)
    assert upload.tell() == 0  # refused on its size: not a byte was read
    upload.close()


def test_a_nul_byte_is_a_clear_error_naming_its_line(member_of_a, brand_a, accounts_a, en_login):
    content = HEADER + b"Bonjour,cafe-tanger,\nSal\x00ut,cafe-tanger,\n"
    errors = _form_errors(_post(en_login(member_of_a), brand_a, content))
    assert "Line 3 holds a NUL character" in errors
    assert not PostImport.unscoped.exists()


def test_bytes_that_are_not_utf8_past_the_first_block_are_a_clear_error(
    member_of_a, brand_a, accounts_a, en_login
):
    content = HEADER + b'"' + b"x" * 5000 + b'",cafe-tanger,\n' + b"Caf\xe9,cafe-tanger,\n"
    errors = _form_errors(_post(en_login(member_of_a), brand_a, content))
    assert "Save the CSV as UTF-8" in errors


def test_a_large_valid_file_is_still_read_in_full(member_of_a, brand_a, accounts_a, in_agency):
    content = HEADER + b"".join(
        f'"Publication {n} {"é" * 12_000}",cafe-tanger,\n'.encode() for n in range(150)
    )
    assert len(content) > 3.4 * 2**20
    with in_agency(brand_a.agency_id):
        preview = post_import_preview(
            actor=member_of_a, brand=brand_a, upload=SimpleUploadedFile("posts.csv", content)
        )
    assert len(preview.rows) == 150 and preview.rows[-1]["line"] == 151
