"""The mention stream: filters, triage (sentiment, tags, owner, reviewed) and the CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import paginate, require_action, with_current_brand
from reputation.forms import (
    MentionFilterForm,
)
from reputation.models.mentions import SentimentLabel
from reputation.selectors.listening import (
    MentionFilters,
    agency_team,
    brands_for_filters,
    listening_queries_visible_to,
    mention_get_for,
    mentions_arrived_after,
    mentions_list,
    mentions_newest_id,
    sources_visible_to,
)
from reputation.services import mentions as mention_services
from reputation.views.common import (
    EXPORT_LIMIT,
    agency_tz,
    csv_response,
    day_bounds,
)


def _mention_filters(request):
    actor = request.membership
    brands = list(brands_for_filters(actor))
    data = with_current_brand(request, request.GET)
    form = MentionFilterForm(
        data,
        brands=brands,
        queries=listening_queries_visible_to(actor),
        sources=sources_visible_to(actor),
    )
    filters = MentionFilters()
    if form.is_valid():
        c = form.cleaned_data
        tz = agency_tz(request)
        filters = MentionFilters(
            brand_id=c["brand"],
            query_id=c["query"],
            source_id=c["source"],
            author_id=c["author"],
            sentiment=c["sentiment"],
            language=c["language"],
            abuse=c["abuse"],
            since=day_bounds(c["since"], tz),
            until=day_bounds(c["until"], tz, end=True),
            search=c["q"].strip(),
            tag=c["tag"].strip(),
            reviewed={"yes": True, "no": False}.get(c["reviewed"]),
            assigned_to_id=c["assigned_to"],
        )
    return form, filters


# --- Mention stream -------------------------------------------------------------------------

# The live stream asks every LIVE_POLL_SECONDS for what arrived, and adds at most
# LIVE_MAX_ROWS rows at a time (more waits for a reload, which the page says).
LIVE_POLL_SECONDS = 30
LIVE_MAX_ROWS = 50
MAX_ID_DIGITS = 18  # a bigint; more would overflow the database's integer


def _poll_url(request: HttpRequest, after: int) -> str:
    """The address the page polls: its own filters (not its page number), after ``after``."""
    params = request.GET.copy()
    for key in ("page", "after"):
        params.pop(key, None)
    params["after"] = str(after)
    return f"{reverse('listening:mentions_new')}?{params.urlencode()}"


def _triage_context(request: HttpRequest) -> dict:
    can_triage = permissions.can(request.membership, permissions.MENTIONS_TRIAGE)
    return {
        "can_triage": can_triage,
        "team": list(agency_team(request.membership)) if can_triage else [],
        "sentiments": SentimentLabel.choices,
    }


@require_action(permissions.LISTENING_VIEW)
def mention_list(request: HttpRequest) -> HttpResponse:
    form, filters = _mention_filters(request)
    page = paginate(request, mentions_list(request.membership, filters))
    # Only the first page grows live: later pages would have new rows pushed onto them.
    poll_url = ""
    if page.number == 1:
        poll_url = _poll_url(request, mentions_newest_id(request.membership, filters))
    return render(
        request,
        "reputation/mentions.html",
        {
            "form": form,
            "page": page,
            "poll_url": poll_url,
            "poll_seconds": LIVE_POLL_SECONDS,
            **_triage_context(request),
        },
    )


@require_action(permissions.LISTENING_VIEW)
def mention_stream_new(request: HttpRequest) -> HttpResponse:
    """The rows of the mentions that arrived after ``after`` (the newest id the page shows),
    under the page's filters, for htmx to put on top of the stream, with the poller's next
    cursor; an empty answer when nothing arrived. Without ``after``: no rows, only a poller
    starting from now."""
    _form, filters = _mention_filters(request)
    actor = request.membership
    raw = request.GET.get("after")
    rows: list = []
    hidden = 0
    if raw is None:
        after = mentions_newest_id(actor, filters)
    elif not (raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS):
        return HttpResponse(
            _("“after” must be the number of the newest mention shown."), status=400
        )
    else:
        # The next cursor first, and only rows up to it: one stored meanwhile comes next time.
        after = mentions_newest_id(actor, filters)
        arrived = mentions_arrived_after(actor, filters, after_id=int(raw)).filter(pk__lte=after)
        rows = list(arrived[:LIVE_MAX_ROWS])
        if not rows:
            return HttpResponse("")
        if len(rows) == LIVE_MAX_ROWS:
            hidden = arrived.count() - len(rows)
    return render(
        request,
        "reputation/_mentions_new.html",
        {
            "mentions": rows,
            "hidden": hidden,
            "stream_url": _poll_url(request, after).replace(
                reverse("listening:mentions_new"), reverse("listening:mentions"), 1
            ),
            "poll_url": _poll_url(request, after),
            "poll_seconds": LIVE_POLL_SECONDS,
            **_triage_context(request),
        },
    )


def _row(request, mention) -> HttpResponse:
    return render(
        request, "reputation/_mention.html", {"mention": mention, **_triage_context(request)}
    )


def _triaged(request: HttpRequest, mention, change) -> HttpResponse:
    """Apply ``change`` to a mention of the list: its row again for htmx (or the refusal, 400),
    else back to the list with the refusal said."""
    try:
        change()
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return _row(request, mention)
    return redirect("listening:mentions")


@require_action(permissions.MENTIONS_TRIAGE)
@require_POST
def mention_sentiment(request: HttpRequest, mention_id: int) -> HttpResponse:
    mention = mention_get_for(actor=request.membership, mention_id=mention_id)
    label = request.POST.get("label", "")
    return _triaged(
        request,
        mention,
        lambda: mention_services.mention_correct_sentiment(
            actor=request.membership, mention=mention, label=label
        ),
    )


@require_action(permissions.MENTIONS_TRIAGE)
@require_POST
def mention_triage(request: HttpRequest, mention_id: int) -> HttpResponse:
    mention = mention_get_for(actor=request.membership, mention_id=mention_id)
    fields = {}
    if "tags" in request.POST:
        fields["tags"] = request.POST["tags"]
    if "assigned_to" in request.POST:
        value = request.POST["assigned_to"]
        fields["assigned_to_id"] = int(value) if value.isdigit() else None
    if "reviewed" in request.POST:
        fields["reviewed"] = request.POST["reviewed"] in {"1", "true", "on", "yes"}
    return _triaged(
        request,
        mention,
        lambda: mention_services.mention_triage(
            actor=request.membership, mention=mention, **fields
        ),
    )


@require_action(permissions.LISTENING_VIEW)
def mention_export(request: HttpRequest) -> HttpResponse:
    _form, filters = _mention_filters(request)
    mentions = mentions_list(request.membership, filters)[:EXPORT_LIMIT]
    tz = agency_tz(request)
    header = [
        _("Published"),
        _("Brand"),
        _("Voice"),
        _("Source"),
        _("Author"),
        _("Language"),
        _("Sentiment"),
        _("Score"),
        _("Abuse"),
        _("Title"),
        _("Text"),
        _("Address"),
        _("Reach"),
        _("Tags"),
        _("Reviewed"),
    ]
    rows = (
        [
            m.published_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            m.brand.name,
            m.voice,
            m.source.name if m.source else "",
            str(m.author) if m.author else "",
            m.language,
            m.get_sentiment_label_display(),
            f"{m.sentiment_score:.2f}",
            ", ".join(m.abuse_labels),
            m.title,
            m.text,
            m.url,
            m.reach,
            ", ".join(m.tags),
            _("yes") if m.reviewed else _("no"),
        ]
        for m in mentions.iterator(chunk_size=500)
    )
    return csv_response(f"mentions-{timezone.localdate():%Y%m%d}.csv", header, rows)
