"""OPML imports: every feed of a file followed at once, or none, in a task with progress.

A 4,000-feed file checked in the request outlived the server's timeout half way, leaving the
first feeds followed and a bare 500. So the request only reads the file's structure (fast, and
a broken file is refused there with its reason), stores it in a SourceImport and queues the
task; the task checks every outline (each address passes the outbound guard, which may resolve
names: the slow part), saving its progress as it goes, then creates every source in one
transaction, or none when any outline is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import Membership
from agency.services.audit import audit_record
from reputation.models.sources import Source, SourceImport, SourceImportState, SourceKind
from reputation.services.inputs import Actor, brand_for
from reputation.services.sources import validate_feed_url
from reputation.states import SOURCE_IMPORT

MAX_OPML_BYTES = 2 * 1024 * 1024
MAX_OPML_FEEDS = 5000
MAX_MESSAGES_KEPT = 200  # errors and notes shown on the status page
PROGRESS_EVERY = 50  # outlines between two progress writes
# Outlines with only a site's address (htmlUrl) whose page is read to find its feed: each
# read takes up to DISCOVERY_SECONDS, so a file of thousands would outlive the task's limit.
MAX_DISCOVERED = 25
DISCOVERY_SECONDS = 10.0


@dataclass(frozen=True)
class _Outline:
    number: int
    label: str
    title: str
    url: str
    site: str = ""  # htmlUrl, for an outline without xmlUrl


def _parse(data: bytes) -> list[_Outline]:
    """The outlines of an OPML file that are not folders; a ValidationError on `file` when
    the file itself is refused (too large, not XML, entities, not OPML, too many feeds)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    if len(data) > MAX_OPML_BYTES:
        raise ValidationError(
            {"file": _("The OPML file is larger than %(max)s MiB.") % {"max": MAX_OPML_BYTES >> 20}}
        )
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ValidationError(
            {"file": _("The file declares XML entities or a DTD, which we refuse.")}
        ) from None
    except ElementTree.ParseError as exc:
        raise ValidationError(
            {"file": _("This is not a valid OPML file (%(error)s).") % {"error": exc}}
        ) from None
    if not isinstance(root.tag, str) or root.tag.lower() != "opml":
        raise ValidationError({"file": _("This is not an OPML file: its root is not <opml>.")})
    outlines = []
    for number, outline in enumerate(root.iter("outline"), start=1):
        url = (outline.get("xmlUrl") or "").strip()
        site = (outline.get("htmlUrl") or "").strip()[:1000]
        title = (outline.get("title") or outline.get("text") or "").strip()
        if not url and len(outline):
            continue  # a folder of feeds
        label = title or url or site or _("outline %(number)d") % {"number": number}
        outlines.append(_Outline(number=number, label=label[:200], title=title, url=url, site=site))
    feeds = sum(1 for o in outlines if o.url or o.site)
    if not feeds:
        raise ValidationError({"file": _("This OPML file has no feed address (xmlUrl).")})
    if feeds > MAX_OPML_FEEDS:
        raise ValidationError(
            {
                "file": _(
                    "This OPML file has %(count)s feeds; an import may have at most %(max)s. "
                    "Split it into several files."
                )
                % {"count": feeds, "max": MAX_OPML_FEEDS}
            }
        )
    return outlines


@transaction.atomic
def source_import_start(
    *, actor: Actor, data: bytes, file_name: str = "", brand_id: int | None = None
) -> SourceImport:
    """Queue the import of an OPML file. The file's structure is checked now (a refused file
    raises a ValidationError on `file` and nothing is stored); its feeds are checked and
    followed by the `reputation.import_sources` task, all or none."""
    from reputation.tasks import import_sources

    permissions.require(actor, permissions.LISTENING_MANAGE)
    brand = brand_for(actor, brand_id) if brand_id else None
    outlines = _parse(data)
    job = SourceImport.objects.create(
        agency_id=actor.agency_id,
        brand=brand,
        requested_by=actor if isinstance(actor, Membership) else None,
        file_name=(file_name or "feeds.opml").replace("\x00", "")[:255],
        data=data,
        total=len(outlines),
    )
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="sources.import_started",
        target=job,
        data={"outlines": len(outlines)},
    )
    transaction.on_commit(
        lambda: import_sources.delay(agency_id=job.agency_id, source_import_id=job.pk)
    )
    return job


def _progress(job: SourceImport, **fields) -> None:
    # Outside any transaction, so that the status page sees it at once.
    if "state" in fields:
        SOURCE_IMPORT.require(job.state, fields["state"])
    SourceImport.objects.filter(pk=job.pk).update(**fields)
    for key, value in fields.items():
        setattr(job, key, value)


def _fail(job: SourceImport, errors: list[str], *, count: int | None = None) -> SourceImport:
    _progress(
        job,
        state=SourceImportState.FAILED,
        errors=errors[:MAX_MESSAGES_KEPT],
        error_count=len(errors) if count is None else count,
        finished_at=timezone.now(),
        data=b"",
    )
    return job


def source_import_run(*, source_import_id: int) -> SourceImport | None:
    """Run a queued import: check every outline, then follow every feed in one transaction,
    or none when any outline is refused (each refusal is listed). Feeds already followed are
    passed over and noted. Running it again after it started does nothing."""
    claimed = SourceImport.objects.filter(
        pk=source_import_id, **SOURCE_IMPORT.filter_from(SourceImportState.CHECKING)
    ).update(state=SourceImportState.CHECKING)
    if not claimed:
        return None
    job = SourceImport.objects.select_related("agency", "requested_by").get(pk=source_import_id)
    actor = job.requested_by
    try:
        if actor is None:
            raise PermissionDenied
        permissions.require(actor, permissions.LISTENING_MANAGE)
        outlines = _parse(bytes(job.data))
    except PermissionDenied:
        return _fail(job, [_("The person who started this import may no longer manage sources.")])
    except ValidationError as exc:
        return _fail(job, exc.messages)

    followed = set(
        Source.objects.filter(kind=SourceKind.RSS, brand_id=job.brand_id).values_list(
            "url", flat=True
        )
    )
    errors, notes, new = [], [], {}
    discovered = 0
    for done, outline in enumerate(outlines, start=1):
        address = outline.url
        if not address and outline.site:
            if discovered < MAX_DISCOVERED:
                discovered += 1
                address, note = _discover(outline)
            else:
                note = _(
                    "“%(label)s”: only a site's address (htmlUrl); its feed was not looked up "
                    "(at most %(max)s per import)."
                ) % {"label": outline.label, "max": MAX_DISCOVERED}
            if note:
                notes.append(note)
        if not address:
            if not outline.site:
                notes.append(_("“%(label)s”: no feed address (xmlUrl).") % {"label": outline.label})
        else:
            try:
                url = validate_feed_url(address)
            except ValidationError as exc:
                errors.append(
                    _("“%(label)s”: %(reason)s")
                    % {"label": outline.label, "reason": "; ".join(exc.messages)}
                )
            else:
                if url in followed or url in new:
                    notes.append(_("“%(label)s”: already followed.") % {"label": outline.label})
                else:
                    new[url] = outline
        if done % PROGRESS_EVERY == 0 or done == len(outlines):
            _progress(job, processed=done)
    if errors:
        _progress(job, notes=notes[:MAX_MESSAGES_KEPT])
        return _fail(job, errors)
    try:
        with transaction.atomic():
            now = timezone.now()
            Source.objects.bulk_create(
                [
                    Source(
                        agency_id=job.agency_id,
                        kind=SourceKind.RSS,
                        name=(outline.title or url)[:200],
                        url=url,
                        brand_id=job.brand_id,
                        next_poll_at=now,
                    )
                    for url, outline in new.items()
                ],
                batch_size=500,
            )
            audit_record(
                agency=job.agency,
                actor=actor,
                verb="sources.imported",
                target=job,
                data={"created": len(new), "passed_over": len(notes)},
            )
            _progress(
                job,
                state=SourceImportState.DONE,
                created_count=len(new),
                notes=notes[:MAX_MESSAGES_KEPT],
                finished_at=timezone.now(),
                data=b"",
            )
    except IntegrityError:
        # Someone followed one of these feeds while the import ran: nothing was created.
        job.refresh_from_db()
        return _fail(job, [_("Some of these feeds were added meanwhile; import the file again.")])
    return job


def _discover(outline: _Outline) -> tuple[str, str]:
    """(feed address, note) for an outline with only a site's address: the feed its page
    announces (networks.discovery, through the outbound guard), or "" and why not."""
    from agency.outbound import outbound_policy
    from networks.discovery import NoFeedFound, discover_feed
    from networks.feeds import FeedError

    try:
        found = discover_feed(
            outline.site, policy=outbound_policy(), deadline_seconds=DISCOVERY_SECONDS
        )
    except NoFeedFound:
        return "", _("“%(label)s”: its page announces no feed.") % {"label": outline.label}
    except FeedError as exc:
        return "", _("“%(label)s”: its page could not be read (%(reason)s).") % {
            "label": outline.label,
            "reason": exc,
        }
    if not found.page_url:
        return found.feed_url, ""  # the site's address was a feed
    return found.feed_url, _("“%(label)s”: the feed %(feed)s found on %(page)s.") % {
        "label": outline.label,
        "feed": found.feed_url,
        "page": found.page_url,
    }


def source_import_give_up(*, source_import_id: int) -> None:
    """Mark an import that ran out of time as failed (nothing of it was created)."""
    job = SourceImport.objects.filter(pk=source_import_id).first()
    if job is not None and not job.finished:
        _fail(job, [_("The import took too long and was stopped; nothing was imported.")])
