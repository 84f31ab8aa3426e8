"""Posts from a CSV file: a preview that checks every row, then the drafts it creates."""

import contextlib
import csv
import datetime as dt
import io
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agency import permissions
from agency.outbound import outbound_url_problem
from agency.services.audit import audit_record
from campaigns.composer import Composition, check_composition
from campaigns.models import Campaign, Post, PostImport, PostImportStatus
from campaigns.services.access import Actor, require, require_brand, user_of
from campaigns.services.posts import post_create
from campaigns.times import check_schedule, to_utc
from clients.models import Brand, SocialAccount

CSV_COLUMNS = ["text", "accounts", "time", "media_url", "first_comment", "campaign"]
MAX_IMPORT_ROWS = 1000
# 1,000 rows of long posts fit in well under 5 MB; a cell holds more than the longest text any
# network takes (Facebook, 63,206 characters) and stays under the csv module's own 128 KB limit.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_CELL_CHARS = 65_536
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S")


def _parse_local_time(value: str) -> dt.datetime:
    for fmt in TIME_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    raise ValueError(value)


def _account_index(brand: Brand) -> dict[str, SocialAccount]:
    index = {}
    for account in SocialAccount.objects.filter(agency_id=brand.agency_id, brand=brand):
        keys = {
            str(account.pk),
            account.handle.lower(),
            account.handle.lower().lstrip("@"),
            f"{account.network}:{account.handle.lower().lstrip('@')}",
        }
        for key in keys:
            if key:
                index[key] = account
    return index


def _check_row(
    data: dict, *, brand: Brand, accounts: dict, campaigns: dict
) -> tuple[list[str], dict]:
    """Errors of one CSV row, and the values a post would be created from."""
    errors: list[str] = []
    parsed: dict = {}
    text = (data.get("text") or "").strip()
    names = [n.strip() for n in re.split(r"[|;,]", data.get("accounts") or "") if n.strip()]
    chosen = []
    if not names:
        errors.append(_("accounts: name at least one account of the brand."))
    for name in names:
        account = accounts.get(name.lower()) or accounts.get(name.lower().lstrip("@"))
        if account is None:
            errors.append(
                _("accounts: “%(name)s” is not an account of this brand.") % {"name": name}
            )
        else:
            chosen.append(account)
    parsed["account_ids"] = [a.pk for a in chosen]
    when = (data.get("time") or "").strip()
    parsed["scheduled_at"] = None
    if when:
        try:
            local = _parse_local_time(when)
        except ValueError:
            errors.append(
                _("time: “%(value)s” is not a date and time like 2026-03-01 18:30.")
                % {"value": when}
            )
        else:
            try:
                utc = to_utc(local, brand.time_zone)
                check_schedule(utc)
                parsed["scheduled_at"] = utc.isoformat()
            except ValidationError as exc:
                errors.extend(f"time: {m}" for m in exc.messages)
    media_url = (data.get("media_url") or "").strip()
    if media_url and not re.match(r"^https?://[^\s]+$", media_url):
        errors.append(_("media_url: “%(value)s” is not an http(s) address.") % {"value": media_url})
    elif media_url and (problem := outbound_url_problem(media_url)):
        # Downloaded later by the publishing worker, through the outbound guard (which checks
        # again then); refused now so that the row says why.
        errors.append(_("media_url: %(problem)s") % {"problem": problem})
    campaign_name = (data.get("campaign") or "").strip()
    parsed["campaign_id"] = None
    if campaign_name:
        campaign = campaigns.get(campaign_name.lower())
        if campaign is None:
            errors.append(
                _("campaign: no campaign of this brand is named “%(name)s”.")
                % {"name": campaign_name}
            )
        else:
            parsed["campaign_id"] = campaign.pk
    if chosen and not errors:
        composition = Composition(
            brand=brand,
            text=text,
            first_comment=(data.get("first_comment") or "").strip(),
            media_urls=[media_url] if media_url else [],
            accounts=chosen,
            campaign=campaigns.get(campaign_name.lower()) if campaign_name else None,
        )
        for check in check_composition(composition):
            errors.extend(f"{check.account}: {m}" for m in check.errors)
    return errors, parsed


@transaction.atomic
def post_import_preview(*, actor: Actor, brand: Brand, upload) -> PostImport:
    """Read a CSV (columns: text, accounts, time, media_url, first_comment, campaign) and check
    every row. Nothing is created: the preview lists each row's errors."""
    require(actor, permissions.POSTS_WRITE)
    require_brand(actor, brand)
    size = getattr(upload, "size", None) or 0
    if size > MAX_IMPORT_BYTES:
        raise ValidationError(
            {
                "file": _("The CSV has %(size)s MB; an import may have at most %(max)s MB.")
                % {"size": f"{size / 2**20:.1f}", "max": MAX_IMPORT_BYTES // 2**20}
            }
        )
    upload.seek(0)
    sample = upload.read(4096)
    upload.seek(0)
    if isinstance(sample, bytes):
        sample = sample.decode("utf-8-sig", errors="ignore")
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    with _csv_text(upload) as text:
        return _post_import_preview_read(
            actor=actor,
            brand=brand,
            reader=csv.DictReader(text, dialect=dialect),
            file_name=(getattr(upload, "name", "") or "posts.csv")[:255],
        )


@contextlib.contextmanager
def _csv_text(upload):
    """The upload as text, decoded as it is read (streamed: the file is never held whole)."""
    raw = getattr(upload, "file", upload)
    raw.seek(0)
    if isinstance(raw.read(0), str):
        yield raw
        return
    wrapper = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        yield wrapper
    finally:
        wrapper.detach()  # the upload is Django's to close


def _csv_records(reader: csv.DictReader):
    """(line, record) of each CSV row. A row that cannot be read (encoding, a cell over the
    cap, a NUL byte, which no database text column holds) is a ValidationError naming it."""
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise ValidationError(
                {"file": _("Save the CSV as UTF-8 (line %(line)s is not).") % {"line": line}}
            ) from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ValidationError(
                    {
                        "file": _("Line %(line)s has a cell longer than %(max)s characters.")
                        % {"line": line, "max": MAX_IMPORT_CELL_CHARS}
                    }
                ) from None
            raise ValidationError(
                {"file": _("Line %(line)s cannot be read as CSV.") % {"line": line}}
            ) from None
        for key, value in record.items():
            values = value if isinstance(value, list) else [key, value]
            for cell in values:
                if not isinstance(cell, str):
                    continue
                if "\x00" in cell:
                    raise ValidationError(
                        {
                            "file": _(
                                "Line %(line)s holds a NUL character, which is not text: save "
                                "the file again as a CSV from your spreadsheet."
                            )
                            % {"line": line}
                        }
                    )
                if len(cell) > MAX_IMPORT_CELL_CHARS:
                    raise ValidationError(
                        {
                            "file": _("Line %(line)s has a cell longer than %(max)s characters.")
                            % {"line": line, "max": MAX_IMPORT_CELL_CHARS}
                        }
                    )
        yield line, record


def _post_import_preview_read(
    *, actor: Actor, brand: Brand, reader: csv.DictReader, file_name: str
) -> PostImport:
    try:
        fieldnames = reader.fieldnames
    except UnicodeDecodeError:
        raise ValidationError({"file": _("Save the CSV as UTF-8.")}) from None
    except csv.Error:
        raise ValidationError({"file": _("Line 1 cannot be read as CSV.")}) from None
    if any("\x00" in (h or "") or len(h or "") > MAX_IMPORT_CELL_CHARS for h in fieldnames or []):
        raise ValidationError({"file": _("Line 1 cannot be read as CSV.")})
    header = [h.strip().lower() for h in (fieldnames or [])]
    missing = [c for c in ("text", "accounts") if c not in header]
    if missing:
        raise ValidationError(
            {
                "file": _("The CSV needs the columns %(columns)s; missing: %(missing)s.")
                % {"columns": ", ".join(CSV_COLUMNS), "missing": ", ".join(missing)}
            }
        )
    accounts = _account_index(brand)
    campaigns = {
        c.name.lower(): c for c in Campaign.objects.filter(agency_id=brand.agency_id, brand=brand)
    }
    rows: list[dict] = []  # {"line", "data", "parsed", "errors"} per row with content
    for number, record in _csv_records(reader):
        if len(rows) >= MAX_IMPORT_ROWS:
            raise ValidationError(
                {"file": _("At most %(max)s rows per import.") % {"max": MAX_IMPORT_ROWS}}
            )
        data = {
            (k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else ""
            for k, v in record.items()
        }
        data = {k: data.get(k, "") for k in CSV_COLUMNS}
        if not any(data.values()):
            continue
        errors, parsed = _check_row(data, brand=brand, accounts=accounts, campaigns=campaigns)
        rows.append({"line": number, "data": data, "parsed": parsed, "errors": errors})
    if not rows:
        raise ValidationError({"file": _("The CSV has no rows.")})
    post_import = PostImport.objects.create(
        agency_id=brand.agency_id,
        brand=brand,
        file_name=file_name.replace("\x00", ""),
        rows=rows,
        created_by=user_of(actor),
    )
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="post_import.previewed",
        target=post_import,
        data={"rows": len(rows), "errors": len(post_import.error_rows)},
    )
    return post_import


@transaction.atomic
def post_import_commit(
    *, actor: Actor, post_import: PostImport, valid_only: bool = False
) -> list[Post]:
    """Create the draft posts of a previewed import: all rows must be valid, unless the user
    chose to import only the valid ones. Rows are checked again (time passes, accounts change)."""
    require(actor, permissions.POSTS_WRITE)
    post_import = (
        PostImport.objects.select_for_update(of=("self",))
        .select_related("brand")
        .get(pk=post_import.pk)
    )
    brand = post_import.brand
    require_brand(actor, brand)
    if post_import.status != PostImportStatus.PREVIEW:
        raise ValidationError(_("This import was already done."))
    accounts = _account_index(brand)
    campaigns = {
        c.name.lower(): c for c in Campaign.objects.filter(agency_id=brand.agency_id, brand=brand)
    }
    for row in post_import.rows:
        row["errors"], row["parsed"] = _check_row(
            row["data"], brand=brand, accounts=accounts, campaigns=campaigns
        )
    bad = [row for row in post_import.rows if row["errors"]]
    if bad and not valid_only:
        post_import.save(update_fields=["rows"])
        raise ValidationError(
            _("%(count)s row(s) have errors: correct them, or import only the valid rows.")
            % {"count": len(bad)}
        )
    campaign_by_id = {c.pk: c for c in campaigns.values()}
    created = []
    for row in post_import.rows:
        if row["errors"]:
            continue
        parsed, data = row["parsed"], row["data"]
        created.append(
            post_create(
                actor=actor,
                brand=brand,
                account_ids=parsed["account_ids"],
                campaign=campaign_by_id.get(parsed["campaign_id"]),
                scheduled_at=dt.datetime.fromisoformat(parsed["scheduled_at"])
                if parsed["scheduled_at"]
                else None,
                text=data["text"],
                first_comment=data["first_comment"],
                media_urls=[data["media_url"]] if data["media_url"] else [],
            )
        )
    post_import.status = PostImportStatus.IMPORTED
    post_import.created_post_ids = [p.pk for p in created]
    post_import.save(update_fields=["rows", "status", "created_post_ids"])
    audit_record(
        agency=brand.agency,
        actor=actor,
        verb="post_import.imported",
        target=post_import,
        data={"created": len(created), "skipped": len(bad)},
    )
    return created
