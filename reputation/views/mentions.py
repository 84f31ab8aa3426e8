"""The mention stream: filters, triage (sentiment, tags, owner, reviewed) and the CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
    mentions_list,
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


@require_action(permissions.LISTENING_VIEW)
def mention_list(request: HttpRequest) -> HttpResponse:
    form, filters = _mention_filters(request)
    page = paginate(request, mentions_list(request.membership, filters))
    can_triage = permissions.can(request.membership, permissions.MENTIONS_TRIAGE)
    return render(
        request,
        "reputation/mentions.html",
        {
            "form": form,
            "page": page,
            "can_triage": can_triage,
            "team": list(agency_team(request.membership)) if can_triage else [],
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
            "team": list(agency_team(request.membership)) if can_triage else [],
            "sentiments": SentimentLabel.choices,
        },
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
