"""Dashboard views of listening: mention stream, triage, queries, sources, charts, influencers.

Each view parses the request, calls one service or selector, and renders. Objects are fetched
with the ``*_get_for`` selectors (404 for another agency's or another client's objects).
"""

from __future__ import annotations

import csv
import datetime as dt
import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.models import CLIENT_ROLES, Membership
from agency.views import CURRENT_BRAND_SESSION_KEY, _attach, _page, require_action
from core.csv_safety import csv_safe
from reputation import charts, selectors, services, source_imports
from reputation.forms import (
    ListeningQueryForm,
    MentionFilterForm,
    OpmlImportForm,
    SourceEditForm,
    SourceForm,
)
from reputation.models import SentimentLabel, SourceKind

EXPORT_LIMIT = 10_000
PERIODS = (7, 30, 90)


def _tz(request) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(request.agency.time_zone or "Africa/Casablanca")


def _day_bounds(day: dt.date | None, tz, *, end: bool = False):
    if day is None:
        return None
    if end:
        day = day + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def _current_brand(request) -> int | None:
    value = request.GET.get("brand")
    if value is None:
        return request.session.get(CURRENT_BRAND_SESSION_KEY)
    return int(value) if value.isdigit() else None


def _mention_filters(request):
    actor = request.membership
    brands = list(selectors.brands_for_filters(actor))
    data = request.GET.copy()
    if "brand" not in data and request.session.get(CURRENT_BRAND_SESSION_KEY):
        data["brand"] = str(request.session[CURRENT_BRAND_SESSION_KEY])
    form = MentionFilterForm(
        data,
        brands=brands,
        queries=selectors.listening_queries_visible_to(actor),
        sources=selectors.sources_visible_to(actor),
    )
    filters = selectors.MentionFilters()
    if form.is_valid():
        c = form.cleaned_data
        tz = _tz(request)
        filters = selectors.MentionFilters(
            brand_id=c["brand"],
            query_id=c["query"],
            source_id=c["source"],
            author_id=c["author"],
            sentiment=c["sentiment"],
            language=c["language"],
            since=_day_bounds(c["since"], tz),
            until=_day_bounds(c["until"], tz, end=True),
            search=c["q"].strip(),
            tag=c["tag"].strip(),
            reviewed={"yes": True, "no": False}.get(c["reviewed"]),
        )
    return form, filters


def _team(request):
    return (
        Membership.objects.filter(agency_id=request.agency.pk)
        .exclude(role__in=CLIENT_ROLES)
        .select_related("user")
        .order_by("user__email")
    )


# --- Mention stream -------------------------------------------------------------------------


@require_action(permissions.LISTENING_VIEW)
def mention_list(request: HttpRequest) -> HttpResponse:
    form, filters = _mention_filters(request)
    page = _page(request, selectors.mentions_list(request.membership, filters))
    can_triage = permissions.can(request.membership, permissions.MENTIONS_TRIAGE)
    return render(
        request,
        "reputation/mentions.html",
        {
            "form": form,
            "page": page,
            "can_triage": can_triage,
            "team": list(_team(request)) if can_triage else [],
            "sentiments": SentimentLabel.choices,
        },
    )


def _row(request, mention) -> HttpResponse:
    can_triage = permissions.can(request.membership, permissions.MENTIONS_TRIAGE)
    return render(
        request,
        "reputation/_mention.html",
        {
            "mention": mention,
            "can_triage": can_triage,
            "team": list(_team(request)) if can_triage else [],
            "sentiments": SentimentLabel.choices,
        },
    )


@require_action(permissions.MENTIONS_TRIAGE)
@require_POST
def mention_sentiment(request: HttpRequest, mention_id: int) -> HttpResponse:
    mention = selectors.mention_get_for(actor=request.membership, mention_id=mention_id)
    try:
        services.mention_correct_sentiment(
            actor=request.membership, mention=mention, label=request.POST.get("label", "")
        )
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return _row(request, mention)
    return redirect("listening:mentions")


@require_action(permissions.MENTIONS_TRIAGE)
@require_POST
def mention_triage(request: HttpRequest, mention_id: int) -> HttpResponse:
    mention = selectors.mention_get_for(actor=request.membership, mention_id=mention_id)
    fields = {}
    if "tags" in request.POST:
        fields["tags"] = request.POST["tags"]
    if "assigned_to" in request.POST:
        value = request.POST["assigned_to"]
        fields["assigned_to_id"] = int(value) if value.isdigit() else None
    if "reviewed" in request.POST:
        fields["reviewed"] = request.POST["reviewed"] in {"1", "true", "on", "yes"}
    try:
        services.mention_triage(actor=request.membership, mention=mention, **fields)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return _row(request, mention)
    return redirect("listening:mentions")


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    # Built in memory (exports are capped at EXPORT_LIMIT rows) so the response has a body
    # that middleware and tests can read.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8 (Arabic, accents)
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return response


@require_action(permissions.LISTENING_VIEW)
def mention_export(request: HttpRequest) -> HttpResponse:
    _form, filters = _mention_filters(request)
    mentions = selectors.mentions_list(request.membership, filters)[:EXPORT_LIMIT]
    tz = _tz(request)
    header = [
        _("Published"),
        _("Brand"),
        _("Voice"),
        _("Source"),
        _("Author"),
        _("Language"),
        _("Sentiment"),
        _("Score"),
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
            m.sentiment_label,
            f"{m.sentiment_score:.2f}",
            m.title,
            m.text,
            m.url,
            m.reach,
            ", ".join(m.tags),
            _("yes") if m.reviewed else _("no"),
        ]
        for m in mentions.iterator(chunk_size=500)
    )
    return _csv_response(f"mentions-{timezone.localdate():%Y%m%d}.csv", header, rows)


# --- Overview: charts and e-reputation ------------------------------------------------------


def _period(request) -> tuple[int, dt.datetime, dt.datetime]:
    days = int(request.GET.get("days", "30")) if request.GET.get("days", "").isdigit() else 30
    days = days if days in PERIODS else 30
    tz = _tz(request)
    today = timezone.now().astimezone(tz).date()
    since = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time.min, tzinfo=tz)
    return days, since, timezone.now()


@require_action(permissions.LISTENING_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    brand_id = _current_brand(request)
    brands = list(selectors.brands_for_filters(actor))
    if brand_id not in {b.pk for b in brands}:
        brand_id = None
    days, since, until = _period(request)
    tz = _tz(request)
    stats = selectors.statistics(actor, tz=tz, brand_id=brand_id, since=since, until=until)
    voices = [
        (row["voice"] or _("The brand"), row["volume"], f"{row['share']:.0%}")
        for row in stats["share_of_voice"]
    ]
    context = {
        "brands": brands,
        "brand_id": brand_id,
        "days": days,
        "periods": PERIODS,
        "stats": stats,
        "volume_chart": charts.stacked_volume(
            stats["by_day"], title=_("Mentions per day, by sentiment")
        ),
        "reputation_chart": charts.line(
            [(d["day"].strftime("%d/%m"), d["reputation_score"]) for d in stats["by_day"]],
            title=_("E-reputation score per day"),
        ),
        "voice_chart": charts.horizontal_bars(voices, title=_("Share of voice")),
        "sources_chart": charts.horizontal_bars(
            [
                (row["source__name"], row["volume"], str(row["volume"]))
                for row in stats["top_sources"]
            ],
            title=_("Top sources"),
        ),
        "authors_chart": charts.horizontal_bars(
            [
                (row["author__name"] or row["author__handle"], row["volume"], str(row["volume"]))
                for row in stats["top_authors"]
            ],
            title=_("Top authors"),
        ),
    }
    return render(request, "reputation/overview.html", context)


# --- Influencers and sources ranked ---------------------------------------------------------

INFLUENCER_ORDERS = ("reach", "mentions", "engagement", "sentiment")


def _influencer_args(request):
    actor = request.membership
    brand_id = _current_brand(request)
    brands = list(selectors.brands_for_filters(actor))
    if brand_id not in {b.pk for b in brands}:
        brand_id = None
    order = request.GET.get("order", "reach")
    order = order if order in INFLUENCER_ORDERS else "reach"
    days, since, until = _period(request)
    return brands, brand_id, order, days, since, until


@require_action(permissions.LISTENING_VIEW)
def influencer_list(request: HttpRequest) -> HttpResponse:
    brands, brand_id, order, days, since, until = _influencer_args(request)
    actor = request.membership
    return render(
        request,
        "reputation/influencers.html",
        {
            "brands": brands,
            "brand_id": brand_id,
            "order": order,
            "orders": INFLUENCER_ORDERS,
            "days": days,
            "periods": PERIODS,
            "authors": selectors.influencers(
                actor, brand_id=brand_id, since=since, until=until, order=order
            ),
            "sources": selectors.sources_ranked(actor, brand_id=brand_id, since=since, until=until),
        },
    )


@require_action(permissions.LISTENING_VIEW)
def influencer_export(request: HttpRequest) -> HttpResponse:
    _brands, brand_id, order, _days, since, until = _influencer_args(request)
    authors = selectors.influencers(
        request.membership, brand_id=brand_id, since=since, until=until, order=order, limit=5000
    )
    header = [
        _("Name"),
        _("Handle"),
        _("Network"),
        _("Followers"),
        _("Mentions"),
        _("Engagement"),
        _("Average sentiment"),
        _("Address"),
    ]
    rows = (
        [
            a.name,
            a.handle,
            a.network,
            a.followers or "",
            a.mention_count,
            a.engagement_total or 0,
            f"{a.sentiment_avg:.2f}" if a.sentiment_avg is not None else "",
            a.url,
        ]
        for a in authors
    )
    return _csv_response(f"influencers-{timezone.localdate():%Y%m%d}.csv", header, rows)


# --- Queries --------------------------------------------------------------------------------


def _query_fields(cleaned: dict) -> dict:
    """The query form's fields as the listening-query services take them."""
    return {
        "brand_id": cleaned["brand"],
        "name": cleaned["name"],
        "expression": cleaned["expression"],
        "excluded_words": cleaned["excluded_words"],
        "languages": cleaned["languages"],
        "is_competitor": cleaned["is_competitor"],
        "competitor_name": cleaned["competitor_name"],
        "active": cleaned["active"],
    }


@require_action(permissions.LISTENING_VIEW)
def query_list(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    brands = list(selectors.brands_for_filters(actor))
    form = ListeningQueryForm(
        request.POST or None, brands=brands, initial={"brand": _current_brand(request)}
    )
    if request.method == "POST":
        permissions.require(actor, permissions.LISTENING_MANAGE)
        if form.is_valid():
            try:
                query = services.listening_query_create(
                    actor=actor, **_query_fields(form.cleaned_data)
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(
                    request, _("The query “%(name)s” is listening.") % {"name": query.name}
                )
                return redirect("listening:queries")
    return render(
        request,
        "reputation/queries.html",
        {"form": form, "queries": selectors.listening_queries_visible_to(actor)},
    )


@require_action(permissions.LISTENING_MANAGE)
def query_edit(request: HttpRequest, listening_query_id: int) -> HttpResponse:
    actor = request.membership
    query = selectors.listening_query_get_for(actor=actor, listening_query_id=listening_query_id)
    brands = list(selectors.brands_for_filters(actor))
    form = ListeningQueryForm(
        request.POST or None, brands=brands, initial=ListeningQueryForm.initial_from(query)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.listening_query_update(
                actor=actor, query=query, **_query_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The query “%(name)s” is saved.") % {"name": query.name})
            return redirect("listening:queries")
    return render(request, "reputation/query_form.html", {"form": form, "query": query})


@require_action(permissions.LISTENING_MANAGE)
@require_POST
def query_delete(request: HttpRequest, listening_query_id: int) -> HttpResponse:
    query = selectors.listening_query_get_for(
        actor=request.membership, listening_query_id=listening_query_id
    )
    services.listening_query_delete(actor=request.membership, query=query)
    messages.success(request, _("The query “%(name)s” is deleted.") % {"name": query.name})
    return redirect("listening:queries")


# --- Sources --------------------------------------------------------------------------------


@require_action(permissions.LISTENING_VIEW)
def source_list(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    brands = list(selectors.brands_for_filters(actor))
    form = SourceForm(request.POST or None, brands=brands)
    if request.method == "POST":
        permissions.require(actor, permissions.LISTENING_MANAGE)
        if form.is_valid():
            c = form.cleaned_data
            try:
                source = services.source_create(
                    actor=actor,
                    kind=c["kind"],
                    name=c["name"],
                    url=c["url"],
                    brand_id=c["brand"],
                    network=c["network"],
                    search_terms=c["search_terms"],
                    poll_interval_minutes=c["poll_interval_minutes"],
                    active=c["active"],
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(
                    request,
                    _("“%(name)s” is followed; its first poll is within a minute.")
                    % {"name": source.name},
                )
                return redirect("listening:sources")
    return render(
        request,
        "reputation/sources.html",
        {
            "form": form,
            "import_form": OpmlImportForm(brands=brands),
            "sources": selectors.sources_visible_to(actor),
            "rss": SourceKind.RSS,
        },
    )


@require_action(permissions.LISTENING_MANAGE)
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    source = selectors.source_get_for(actor=request.membership, source_id=source_id)
    form = SourceEditForm(
        request.POST or None,
        initial={
            "name": source.name,
            "url": source.url,
            "search_terms": source.search_terms,
            "poll_interval_minutes": source.poll_interval_minutes,
            "active": source.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if source.kind != SourceKind.RSS:
            fields.pop("url")
        else:
            fields.pop("search_terms")
        try:
            services.source_update(actor=request.membership, source=source, **fields)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": source.name})
            return redirect("listening:sources")
    return render(request, "reputation/source_form.html", {"form": form, "source": source})


@require_action(permissions.LISTENING_MANAGE)
@require_POST
def source_delete(request: HttpRequest, source_id: int) -> HttpResponse:
    source = selectors.source_get_for(actor=request.membership, source_id=source_id)
    services.source_delete(actor=request.membership, source=source)
    messages.success(request, _("“%(name)s” is no longer followed.") % {"name": source.name})
    return redirect("listening:sources")


@require_action(permissions.LISTENING_MANAGE)
@require_POST
def source_poll(request: HttpRequest, source_id: int) -> HttpResponse:
    from reputation.polling import source_poll_now

    source = selectors.source_get_for(actor=request.membership, source_id=source_id)
    source_poll_now(source=source)
    messages.success(
        request, _("“%(name)s” will be polled within a minute.") % {"name": source.name}
    )
    return redirect("listening:sources")


@require_action(permissions.LISTENING_MANAGE)
@require_POST
def source_import(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    form = OpmlImportForm(
        request.POST, request.FILES, brands=list(selectors.brands_for_filters(actor))
    )
    if not form.is_valid():
        messages.error(request, _("Choose an OPML file to import."))
        return redirect("listening:sources")
    upload = form.cleaned_data["file"]
    try:
        job = source_imports.source_import_start(
            actor=actor,
            # One byte past the cap is enough to refuse a larger file without reading it all.
            data=upload.read(source_imports.MAX_OPML_BYTES + 1),
            file_name=upload.name,
            brand_id=form.cleaned_data["brand"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("listening:sources")
    return redirect("listening:source_import_status", source_import_id=job.pk)


@require_action(permissions.LISTENING_MANAGE)
def source_import_status(request: HttpRequest, source_import_id: int) -> HttpResponse:
    """The progress of an OPML import; htmx polls the status part until it is finished."""
    job = selectors.source_import_get_for(
        actor=request.membership, source_import_id=source_import_id
    )
    if request.htmx:
        return render(request, "reputation/_source_import_status.html", {"job": job})
    return render(request, "reputation/source_import.html", {"job": job})
