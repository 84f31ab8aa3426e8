"""Dashboard views of campaigns: parse the request, call one service or selector, render.

Every page is behind `require_action`; objects are fetched through the `*_get_for` selectors
(404 for another agency's or another client's objects). The approval page and the ICS feed are
public (`view.public = True`): the signed token in their URL is the credential.
"""

import calendar as pycalendar
import csv
import datetime as dt
import difflib
import zoneinfo
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.http import require_POST

from agency import permissions
from agency.models import Membership
from agency.redirects import redirect_back
from agency.views import _attach, member_required, require_action
from campaigns import ics, selectors, services
from campaigns.composer import Composition, check_composition, composition_of
from campaigns.forms import (
    CalendarFilterForm,
    CampaignForm,
    CommentForm,
    IdeaForm,
    ImportForm,
    MediaUploadForm,
    PolicyForm,
    PostForm,
    RescheduleForm,
    ReviewForm,
    ShareLinkForm,
)
from campaigns.models import PostState, ShareLinkKind
from clients.models import AccountStatus
from clients.selectors import brand_get_for, brand_guidelines_of, brands_visible_to
from core.csv_safety import csv_safe

PAGE_SIZE = 25


def _messages_of(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _current_brand_id(request) -> int | None:
    value = request.GET.get("brand") or request.session.get("current_brand_id")
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _brand_or_default(request, brand_id=None):
    """The brand the request names (404 when the caller may not see it: another agency's,
    or not given to this client), else the current brand, else the first one."""
    brands = brands_visible_to(request.membership)
    if brand_id:
        try:
            return brands.get(pk=int(brand_id))
        except (TypeError, ValueError, ObjectDoesNotExist):
            raise Http404 from None
    current = _current_brand_id(request)
    return (brands.filter(pk=current).first() if current else None) or brands.first()


# --- Campaigns -------------------------------------------------------------------------------


@require_action(permissions.CAMPAIGNS_VIEW)
def campaign_list(request: HttpRequest) -> HttpResponse:
    brand_id = _current_brand_id(request)
    campaigns = selectors.campaigns_visible_to(request.membership, brand_id=brand_id)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    ideas = selectors.open_ideas(request.membership, brand_id=brand_id)[:20]
    idea_form = IdeaForm(brands=brands_visible_to(request.membership), initial={"brand": brand_id})
    return render(
        request,
        "campaigns/campaign_list.html",
        {"page": page, "ideas": ideas, "idea_form": idea_form, "section": "campaigns"},
    )


def _campaign_form(request, data=None, **kwargs):
    brands = brands_visible_to(request.membership)
    from clients.selectors import personas_visible_to

    return CampaignForm(
        data,
        brands=brands,
        personas=personas_visible_to(request.membership).select_related("brand"),
        **kwargs,
    )


@require_action(permissions.CAMPAIGNS_MANAGE)
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = _campaign_form(
        request,
        request.POST or None,
        initial={
            "brand": _current_brand_id(request),
            "currency": "MAD",
            "status": "planned",
            "utm_enabled": True,
            "utm_source": "{network}",
            "utm_medium": "social",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.membership,
                brand=form.cleaned_data["brand"],
                personas=form.cleaned_data["personas"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The campaign “%(name)s” is created.") % {"name": campaign})
            return redirect("campaigns:campaign_detail", campaign_id=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "section": "campaigns"})


@require_action(permissions.CAMPAIGNS_VIEW)
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_get_for(actor=request.membership, campaign_id=campaign_id)
    posts = selectors.posts_visible_to(request.membership).filter(campaign=campaign)
    posts = posts.order_by("scheduled_at", "id")
    return render(
        request,
        "campaigns/campaign_detail.html",
        {"campaign": campaign, "posts": posts, "section": "campaigns"},
    )


@require_action(permissions.CAMPAIGNS_MANAGE)
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_get_for(actor=request.membership, campaign_id=campaign_id)
    if request.method == "POST":
        form = _campaign_form(request, request.POST)
        form.fields["brand"].required = False
        if form.is_valid():
            try:
                services.campaign_update(
                    actor=request.membership,
                    campaign=campaign,
                    personas=form.cleaned_data["personas"],
                    **form.service_fields(),
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("The campaign is saved."))
                return redirect("campaigns:campaign_detail", campaign_id=campaign.pk)
    else:
        form = _campaign_form(request, initial=CampaignForm.initial_from(campaign))
    form.fields["brand"].disabled = True
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "campaign": campaign, "section": "campaigns"},
    )


@require_action(permissions.CAMPAIGNS_MANAGE)
@require_POST
def campaign_delete(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_get_for(actor=request.membership, campaign_id=campaign_id)
    services.campaign_delete(actor=request.membership, campaign=campaign)
    messages.success(request, _("The campaign is deleted; its posts are kept."))
    return redirect("campaigns:campaign_list")


# --- Ideas -----------------------------------------------------------------------------------


@require_action(permissions.CAMPAIGNS_MANAGE)
@require_POST
def idea_create(request: HttpRequest) -> HttpResponse:
    form = IdeaForm(request.POST, brands=brands_visible_to(request.membership))
    if form.is_valid():
        try:
            services.idea_create(actor=request.membership, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(request, _("The idea is in the backlog."))
    else:
        messages.error(request, _("Give the idea a brand and a title."))
    return redirect("campaigns:campaign_list")


@require_action(permissions.POSTS_WRITE)
@require_POST
def idea_convert(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = selectors.idea_get_for(actor=request.membership, idea_id=idea_id)
    try:
        post = services.idea_convert(actor=request.membership, idea=idea)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return redirect("campaigns:campaign_list")
    messages.success(request, _("A draft post was made from the idea."))
    return redirect("campaigns:post_edit", post_id=post.pk)


@require_action(permissions.CAMPAIGNS_MANAGE)
@require_POST
def idea_delete(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = selectors.idea_get_for(actor=request.membership, idea_id=idea_id)
    services.idea_delete(actor=request.membership, idea=idea)
    messages.success(request, _("The idea is deleted."))
    return redirect("campaigns:campaign_list")


# --- Composer --------------------------------------------------------------------------------


def _post_form(request, brand, data=None, **kwargs) -> PostForm:
    accounts = (
        services.SocialAccount.objects.filter(brand=brand)
        .exclude(status=AccountStatus.REVOKED)
        .order_by("network", "handle")
    )
    return PostForm(
        data,
        brand=brand,
        accounts=accounts,
        media=selectors.media_visible_to(request.membership, brand_id=brand.pk),
        campaigns=selectors.campaigns_visible_to(request.membership, brand_id=brand.pk),
        **kwargs,
    )


def _composer_context(request, form, brand, post=None) -> dict:
    guidelines = brand_guidelines_of(brand=brand)
    return {
        "form": form,
        "brand": brand,
        "post": post,
        "brands": brands_visible_to(request.membership),
        "hashtag_sets": guidelines.hashtag_sets,
        "signatures": guidelines.signatures,
        "words_to_avoid": guidelines.words_to_avoid,
        "section": "calendar",
    }


def _scheduled_utc(form, brand):
    local = form.cleaned_data.get("scheduled_at")
    return services.to_utc(local, brand.time_zone) if local else None


@require_action(permissions.POSTS_WRITE)
def post_create(request: HttpRequest) -> HttpResponse:
    brand = _brand_or_default(request, request.POST.get("brand") or request.GET.get("brand"))
    if brand is None:
        messages.info(request, _("Create a brand first."))
        return redirect("brands:list")
    initial = {}
    if request.GET.get("date"):
        initial["scheduled_at"] = f"{request.GET['date']}T10:00"
    form = _post_form(request, brand, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # saved and submitted together, or not at all
                post = _create_from_form(request, form, brand)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The post is saved."))
            return redirect("campaigns:post_detail", post_id=post.pk)
    return render(request, "campaigns/composer.html", _composer_context(request, form, brand))


def _create_from_form(request, form, brand):
    post = services.post_create(
        actor=request.membership,
        brand=brand,
        account_ids=[a.pk for a in form.cleaned_data["accounts"]],
        overrides=form.overrides(),
        media_overrides={k: [m.pk for m in v] for k, v in form.media_overrides().items()},
        campaign=form.cleaned_data["campaign"],
        scheduled_at=_scheduled_utc(form, brand),
        labels=form.labels_list(),
        title=form.cleaned_data["title"],
        text=form.cleaned_data["text"],
        link=form.cleaned_data["link"],
        first_comment=form.cleaned_data["first_comment"],
        media_ids=[m.pk for m in form.cleaned_data["media"]],
    )
    if "submit" in request.POST:
        services.post_submit(actor=request.membership, post=post)
    return post


@require_action(permissions.POSTS_WRITE)
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_get_for(actor=request.membership, post_id=post_id)
    brand = post.brand
    if not post.is_editable:
        messages.error(
            request,
            _("A post that is %(state)s cannot be edited.") % {"state": post.get_state_display()},
        )
        return redirect("campaigns:post_detail", post_id=post.pk)
    if request.method == "POST":
        form = _post_form(request, brand, request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    _update_from_form(request, form, post)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("The post is saved."))
                return redirect("campaigns:post_detail", post_id=post.pk)
    else:
        form = _post_form(request, brand, initial=_initial_of(post))
    return render(request, "campaigns/composer.html", _composer_context(request, form, brand, post))


def _update_from_form(request, form, post):
    services.post_update(
        actor=request.membership,
        post=post,
        account_ids=[a.pk for a in form.cleaned_data["accounts"]],
        overrides=form.overrides(),
        media_overrides={k: [m.pk for m in v] for k, v in form.media_overrides().items()},
        campaign=form.cleaned_data["campaign"],
        scheduled_at=_scheduled_utc(form, post.brand),
        labels=form.labels_list(),
        title=form.cleaned_data["title"],
        text=form.cleaned_data["text"],
        link=form.cleaned_data["link"],
        first_comment=form.cleaned_data["first_comment"],
        media_ids=[m.pk for m in form.cleaned_data["media"]],
    )
    if "submit" in request.POST and post.state in (PostState.DRAFT, PostState.CHANGES_REQUESTED):
        post.refresh_from_db()
        services.post_submit(actor=request.membership, post=post)


def _initial_of(post) -> dict:
    variants = list(post.variants.all())
    initial = {
        "title": post.title,
        "text": post.text,
        "link": post.link,
        "first_comment": post.first_comment,
        "accounts": [v.social_account_id for v in variants],
        "media": post.media_ids,
        "campaign": post.campaign_id,
        "scheduled_at": (
            post.local_scheduled_at.replace(tzinfo=None) if post.scheduled_at else None
        ),
        "labels": ", ".join(post.labels),
    }
    for variant in variants:
        initial[f"override_{variant.social_account_id}"] = variant.text_override
        initial[f"media_{variant.social_account_id}"] = variant.media_override_ids or []
    return initial


@require_action(permissions.POSTS_WRITE)
@require_POST
def compose_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the per-network previews, counts and rule errors of the composer as typed."""
    brand = _brand_or_default(request, request.POST.get("brand"))
    if brand is None:
        return HttpResponseBadRequest()
    form = _post_form(request, brand, request.POST)
    form.is_valid()  # partial input is fine: preview what parses
    data = getattr(form, "cleaned_data", {})
    post_id = request.POST.get("post_id")
    composition = Composition(
        brand=brand,
        text=data.get("text", request.POST.get("text", "")),
        link=data.get("link", "") or "",
        first_comment=data.get("first_comment", ""),
        media=list(data.get("media") or []),
        campaign=data.get("campaign"),
        accounts=list(data.get("accounts") or []),
        overrides=form.overrides() if hasattr(form, "cleaned_data") else {},
        media_overrides=form.media_overrides(),
        post_id=int(post_id) if post_id and post_id.isdigit() else None,
    )
    scheduled_error = ""
    try:
        composition.scheduled_at = _scheduled_utc(form, brand) if data else None
    except ValidationError as exc:
        scheduled_error = _messages_of(exc)
    checks = check_composition(composition)
    return render(
        request,
        "campaigns/_preview.html",
        {"checks": checks, "scheduled_error": scheduled_error, "composition": composition},
    )


# --- Post page and its actions ---------------------------------------------------------------


def _diff(post) -> list[dict]:
    """What changed since the reviewer last decided (or since the first version)."""
    revisions = list(selectors.post_revisions(post))
    if len(revisions) < 2:
        return []
    base_version = post.reviewed_version or revisions[0].version
    base = next((r for r in revisions if r.version == base_version), revisions[0])
    current = revisions[-1]
    if base.version == current.version:
        return []
    changes = []
    for key, label in (
        ("title", _("Internal title")),
        ("text", _("Text")),
        ("link", _("Link")),
        ("first_comment", _("First comment")),
    ):
        old, new = base.snapshot.get(key, ""), current.snapshot.get(key, "")
        if old != new:
            lines = list(
                difflib.ndiff(str(old).splitlines() or [""], str(new).splitlines() or [""])
            )
            changes.append(
                {"label": label, "lines": [line for line in lines if not line.startswith("?")]}
            )
    old_v = {v["account_id"]: v for v in base.snapshot.get("variants", [])}
    new_v = {v["account_id"]: v for v in current.snapshot.get("variants", [])}
    if set(old_v) != set(new_v) or any(
        (old_v[k]["text"], old_v[k].get("media_ids"))
        != (new_v[k]["text"], new_v[k].get("media_ids"))
        for k in old_v.keys() & new_v.keys()
    ):
        lines = [f"- {v['account']}: {v['text']}" for v in old_v.values()]
        lines += [f"+ {v['account']}: {v['text']}" for v in new_v.values()]
        changes.append({"label": _("Accounts and per-account texts"), "lines": lines})
    return [{"from": base.version, "to": current.version, "changes": changes}]


@require_action(permissions.CAMPAIGNS_VIEW)
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_get_for(actor=request.membership, post_id=post_id)
    checks = check_composition(composition_of(post))
    actor = request.membership
    can_review = post.state == PostState.IN_REVIEW and (
        (post.review_stage == "internal" and permissions.can(actor, permissions.POSTS_APPROVE))
        or (
            post.review_stage == "client"
            and permissions.can(actor, permissions.POSTS_CLIENT_APPROVE)
        )
    )
    return render(
        request,
        "campaigns/post_detail.html",
        {
            "post": post,
            "checks": checks,
            "diff": _diff(post),
            "comments": selectors.post_comments(post, actor=actor),
            "can_review": can_review,
            "review_form": ReviewForm(),
            "comment_form": CommentForm(),
            "media": selectors.media_by_ids(brand=post.brand, ids=post.media_ids),
            "section": "calendar",
        },
    )


POST_ACTIONS = {
    "submit": (permissions.POSTS_WRITE, services.post_submit, _("The post is sent for approval.")),
    "schedule": (permissions.POSTS_WRITE, services.post_schedule, _("The post is scheduled.")),
    "unschedule": (
        permissions.POSTS_WRITE,
        services.post_unschedule,
        _("The post is out of the queue."),
    ),
    "cancel": (permissions.POSTS_WRITE, services.post_cancel, _("The post is cancelled.")),
    "restore": (permissions.POSTS_WRITE, services.post_restore, _("The post is a draft again.")),
    "withdraw": (permissions.POSTS_WRITE, services.post_withdraw, _("The post is a draft again.")),
}


@member_required
@require_POST
def post_action(request: HttpRequest, post_id: int, action: str) -> HttpResponse:
    action_name, service, done = POST_ACTIONS[action]
    permissions.require(request.membership, action_name)
    post = selectors.post_get_for(actor=request.membership, post_id=post_id)
    try:
        service(actor=request.membership, post=post)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, str(done))
    return redirect("campaigns:post_detail", post_id=post.pk)


def _review(request, post_id: int, service, done: str) -> HttpResponse:
    actor = request.membership
    if not (
        permissions.can(actor, permissions.POSTS_APPROVE)
        or permissions.can(actor, permissions.POSTS_CLIENT_APPROVE)
    ):
        raise PermissionDenied
    post = selectors.post_get_for(actor=actor, post_id=post_id)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        service(actor=actor, post=post, comment=form.cleaned_data.get("comment", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, done)
    return redirect_back(request, "campaigns:approvals")


@member_required
@require_POST
def post_approve(request: HttpRequest, post_id: int) -> HttpResponse:
    return _review(request, post_id, services.post_approve, _("Approved."))


@member_required
@require_POST
def post_request_changes(request: HttpRequest, post_id: int) -> HttpResponse:
    return _review(
        request, post_id, services.post_request_changes, _("The author is asked for changes.")
    )


@require_action(permissions.POSTS_COMMENT)
@require_POST
def post_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_get_for(actor=request.membership, post_id=post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.post_comment_add(
                actor=request.membership, post=post, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
    else:
        messages.error(request, _("Write a comment."))
    return redirect(reverse("campaigns:post_detail", kwargs={"post_id": post.pk}) + "#comments")


# --- Approvals queue -------------------------------------------------------------------------


@require_action(permissions.CAMPAIGNS_VIEW)
def approvals(request: HttpRequest) -> HttpResponse:
    posts = list(selectors.posts_awaiting(request.membership))
    items = [(post, check_composition(composition_of(post)), _diff(post)) for post in posts]
    return render(
        request,
        "campaigns/approvals.html",
        {"items": items, "review_form": ReviewForm(), "section": "approvals"},
    )


# --- Calendar --------------------------------------------------------------------------------


def _calendar_filters(request):
    actor = request.membership
    form = CalendarFilterForm(
        request.GET or None,
        brands=brands_visible_to(actor),
        campaigns=selectors.campaigns_visible_to(actor),
        authors=_authors(actor),
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, data


def _authors(actor):
    from agency.models import User

    if isinstance(actor, Membership) and actor.is_client:
        return User.objects.none()
    return User.objects.filter(memberships__agency_id=actor.agency_id).order_by("email")


def _display_tz(request, data):
    brand = data.get("brand")
    return zoneinfo.ZoneInfo(brand.time_zone if brand else request.agency.time_zone)


def _calendar_context(request) -> dict:
    form, data = _calendar_filters(request)
    view = data.get("view") or "month"
    tz = _display_tz(request, data)
    day = data.get("day") or dt.datetime.now(tz).date()
    if view == "week":
        start_day = day - dt.timedelta(days=day.weekday())
        days = [start_day + dt.timedelta(days=i) for i in range(7)]
        previous, following = start_day - dt.timedelta(days=7), start_day + dt.timedelta(days=7)
    elif view == "month":
        first = day.replace(day=1)
        start_day = first - dt.timedelta(days=first.weekday())
        last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
        end_day = last + dt.timedelta(days=6 - last.weekday())
        days = [start_day + dt.timedelta(days=i) for i in range((end_day - start_day).days + 1)]
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
    else:  # list: the next 30 days from the day
        days = [day + dt.timedelta(days=i) for i in range(30)]
        previous, following = day - dt.timedelta(days=30), day + dt.timedelta(days=30)
    # A margin of a day each side: each post is placed on its own brand's local date.
    start = dt.datetime.combine(days[0] - dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=2), dt.time.min, tzinfo=dt.UTC)
    posts = selectors.posts_filtered(
        request.membership,
        brand_id=data.get("brand").pk if data.get("brand") else None,
        campaign_id=data.get("campaign").pk if data.get("campaign") else None,
        network=data.get("network") or None,
        state=data.get("state") or None,
        author_id=data.get("author").pk if data.get("author") else None,
        start=start,
        end=end,
    ).order_by("scheduled_at", "id")
    by_day: dict[dt.date, list] = {d: [] for d in days}
    for post in posts:
        local = post.local_scheduled_at
        if local.date() in by_day:
            post.local_time = local.replace(tzinfo=None)
            by_day[local.date()].append(post)
    params = {k: v for k, v in request.GET.items() if k not in ("day",)}
    unscheduled = []
    if view == "list":
        unscheduled = (
            selectors.posts_visible_to(
                request.membership, brand_id=data.get("brand").pk if data.get("brand") else None
            )
            .filter(scheduled_at=None)
            .exclude(state=PostState.CANCELLED)
            .order_by("-created_at")[:50]
        )
    return {
        "form": form,
        "view": view,
        "day": day,
        "days": [(d, by_day[d]) for d in days],
        "month": day.month,
        "today": dt.datetime.now(tz).date(),
        "previous_url": "?" + urlencode({**params, "day": previous.isoformat()}),
        "next_url": "?" + urlencode({**params, "day": following.isoformat()}),
        "query": urlencode(params),
        "unscheduled": unscheduled,
        "section": "calendar",
        "can_move": permissions.can(request.membership, permissions.POSTS_WRITE),
        "weekday_names": [_(name) for name in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")],
    }


@require_action(permissions.CAMPAIGNS_VIEW)
def calendar(request: HttpRequest) -> HttpResponse:
    context = _calendar_context(request)
    template = "campaigns/_calendar_body.html" if request.htmx else "campaigns/calendar.html"
    return render(request, template, context)


@require_action(permissions.POSTS_WRITE)
@require_POST
def post_reschedule(request: HttpRequest, post_id: int) -> HttpResponse:
    """Drag and drop on the calendar: a new local date (and optionally time) in the post's
    brand's time zone, checked like the composer; answers the redrawn calendar."""
    post = selectors.post_get_for(actor=request.membership, post_id=post_id)
    form = RescheduleForm(request.POST)
    error = ""
    if form.is_valid():
        local_time = form.cleaned_data["time"] or (
            post.local_scheduled_at.time() if post.scheduled_at else dt.time(10, 0)
        )
        local = dt.datetime.combine(form.cleaned_data["date"], local_time.replace(tzinfo=None))
        try:
            when = services.to_utc(local, post.brand.time_zone)
            services.post_reschedule(actor=request.membership, post=post, scheduled_at=when)
        except (ValidationError, PermissionDenied) as exc:
            error = _messages_of(exc)
    else:
        error = _("Choose a day.")
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("The post is moved."))
        return redirect(reverse("campaigns:calendar") + "?" + request.POST.get("query", ""))
    request.GET = request.GET.copy()
    for key, value in dict(
        (pair.split("=", 1) + [""])[:2] for pair in request.POST.get("query", "").split("&") if pair
    ).items():
        from urllib.parse import unquote_plus

        request.GET[unquote_plus(key)] = unquote_plus(value)
    context = _calendar_context(request)
    context["move_error"] = error
    context["move_ok"] = not error
    response = render(request, "campaigns/_calendar_body.html", context)
    return response


@require_action(permissions.CAMPAIGNS_VIEW)
def calendar_export(request: HttpRequest) -> HttpResponse:
    """The calendar as CSV: the filtered posts, with times in each brand's zone and in UTC."""
    form, data = _calendar_filters(request)
    posts = selectors.posts_filtered(
        request.membership,
        brand_id=data.get("brand").pk if data.get("brand") else None,
        campaign_id=data.get("campaign").pk if data.get("campaign") else None,
        network=data.get("network") or None,
        state=data.get("state") or None,
        author_id=data.get("author").pk if data.get("author") else None,
    ).order_by("scheduled_at", "id")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="calendar.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "brand",
            "campaign",
            "title",
            "state",
            "local_time",
            "time_zone",
            "utc_time",
            "accounts",
            "author",
            "text",
        ]
    )
    for post in posts:
        writer.writerow(
            [
                post.pk,
                csv_safe(post.brand.name),
                csv_safe(post.campaign.name if post.campaign else ""),
                csv_safe(post.title),
                post.state,
                services.local_time_str(post.scheduled_at, post.brand.time_zone),
                post.brand.time_zone,
                post.scheduled_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                if post.scheduled_at
                else "",
                csv_safe(" | ".join(str(v.social_account) for v in post.variants.all())),
                csv_safe(post.author.email if post.author else ""),
                csv_safe(post.text),
            ]
        )
    return response


# --- Media library ---------------------------------------------------------------------------


@require_action(permissions.CAMPAIGNS_VIEW)
def media_library(request: HttpRequest) -> HttpResponse:
    brands = brands_visible_to(request.membership)
    form = MediaUploadForm(brands=brands, initial={"brand": _current_brand_id(request)})
    if request.method == "POST":
        permissions.require(request.membership, permissions.POSTS_WRITE)
        form = MediaUploadForm(request.POST, request.FILES, brands=brands)
        if form.is_valid():
            try:
                services.media_asset_upload(
                    actor=request.membership,
                    brand=form.cleaned_data["brand"],
                    upload=form.cleaned_data["file"],
                    alt_text=form.cleaned_data["alt_text"],
                )
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, _("The file is in the library."))
                return redirect("campaigns:media_library")
    media = selectors.media_visible_to(
        request.membership, brand_id=_current_brand_id(request)
    ).select_related("brand")
    page = Paginator(media, 48).get_page(request.GET.get("page"))
    return render(request, "campaigns/media.html", {"form": form, "page": page, "section": "media"})


@require_action(permissions.POSTS_WRITE)
@require_POST
def media_delete(request: HttpRequest, media_asset_id: int) -> HttpResponse:
    asset = selectors.media_asset_get_for(actor=request.membership, media_asset_id=media_asset_id)
    try:
        services.media_asset_delete(actor=request.membership, media_asset=asset)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("The file is deleted."))
    return redirect("campaigns:media_library")


# --- CSV import ------------------------------------------------------------------------------


@require_action(permissions.POSTS_WRITE)
def post_import(request: HttpRequest) -> HttpResponse:
    brands = brands_visible_to(request.membership)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        brands=brands,
        initial={"brand": _current_brand_id(request)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            preview = services.post_import_preview(
                actor=request.membership,
                brand=form.cleaned_data["brand"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            return redirect("campaigns:post_import_preview", post_import_id=preview.pk)
    return render(request, "campaigns/import.html", {"form": form, "section": "calendar"})


@require_action(permissions.POSTS_WRITE)
def post_import_preview(request: HttpRequest, post_import_id: int) -> HttpResponse:
    preview = selectors.post_import_get_for(actor=request.membership, post_import_id=post_import_id)
    if request.method == "POST":
        try:
            created = services.post_import_commit(
                actor=request.membership,
                post_import=preview,
                valid_only=request.POST.get("valid_only") == "1",
            )
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(
                request, _("%(count)s draft post(s) were created.") % {"count": len(created)}
            )
            return redirect(reverse("campaigns:calendar") + "?view=list")
        preview.refresh_from_db()
    return render(
        request, "campaigns/import_preview.html", {"preview": preview, "section": "calendar"}
    )


# --- Brand publishing settings and links -----------------------------------------------------


@require_action(permissions.SHARE_LINKS_MANAGE)
def brand_publishing(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = brand_get_for(actor=request.membership, brand_id=brand_id)
    policy = selectors.policy_of(brand)
    policy_form = PolicyForm(
        initial={
            "approval_mode": policy.approval_mode,
            "duplicate_window_hours": policy.duplicate_window_hours,
        }
    )
    link_form = ShareLinkForm(initial={"kind": ShareLinkKind.APPROVAL, "valid_days": 30})
    if request.method == "POST" and request.POST.get("form") == "policy":
        policy_form = PolicyForm(request.POST)
        if policy_form.is_valid():
            try:
                services.publishing_policy_update(
                    actor=request.membership, brand=brand, **policy_form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _messages_of(exc))
            else:
                messages.success(request, _("The approval settings are saved."))
                return redirect("campaigns:brand_publishing", brand_id=brand.pk)
    elif request.method == "POST":
        link_form = ShareLinkForm(request.POST)
        if link_form.is_valid():
            try:
                services.share_link_create(
                    actor=request.membership, brand=brand, **link_form.cleaned_data
                )
            except ValidationError as exc:
                _attach(link_form, exc)
            else:
                messages.success(request, _("The link is ready; copy it below."))
                return redirect("campaigns:brand_publishing", brand_id=brand.pk)
    links = []
    for link in selectors.share_links_of(request.membership, brand_id=brand.pk):
        token = selectors.share_link_token(link)
        name = "campaigns:approval_link" if link.kind == ShareLinkKind.APPROVAL else "campaigns:ics"
        link.url = services.site_url(reverse(name, kwargs={"token": token}))
        links.append(link)
    return render(
        request,
        "campaigns/brand_publishing.html",
        {
            "brand": brand,
            "policy_form": policy_form,
            "link_form": link_form,
            "links": links,
            "section": "campaigns",
        },
    )


@require_action(permissions.SHARE_LINKS_MANAGE)
@require_POST
def share_link_revoke(request: HttpRequest, share_link_id: int) -> HttpResponse:
    link = selectors.share_link_get_for(actor=request.membership, share_link_id=share_link_id)
    services.share_link_revoke(actor=request.membership, share_link=link)
    messages.success(request, _("The link no longer works."))
    return redirect("campaigns:brand_publishing", brand_id=link.brand_id)


# --- Public: the approval link and the ICS feed ----------------------------------------------


@never_cache
@xframe_options_deny
def approval_link(request: HttpRequest, token: str) -> HttpResponse:
    """The client's approval page without an account: the brand's posts awaiting the client,
    with previews; approve, request changes or comment on each."""
    from agency.tenancy import tenant_scope

    try:
        link = selectors.share_link_from_token(token, kind=ShareLinkKind.APPROVAL)
    except selectors.LinkUnusable as exc:
        return render(
            request, "campaigns/link_unusable.html", {"reason": exc.reason}, status=exc.status
        )
    with tenant_scope(link.agency_id):
        if request.method == "POST":
            _approval_link_post(request, link)
            return redirect("campaigns:approval_link", token=token)
        posts = (
            services.Post.objects.filter(
                brand=link.brand, state=PostState.IN_REVIEW, review_stage="client"
            )
            .select_related("brand", "campaign")
            .prefetch_related("variants__social_account")
            .order_by("scheduled_at", "id")
        )
        items = [
            (
                post,
                check_composition(composition_of(post)),
                # actor=None: the link holder is the client, who sees no team comment.
                list(selectors.post_comments(post, actor=None)),
            )
            for post in posts
        ]
        return render(
            request,
            "campaigns/approval_link.html",
            {"link": link, "brand": link.brand, "agency": link.agency, "items": items},
        )


def _approval_link_post(request, link) -> None:
    post = (
        services.Post.objects.filter(brand=link.brand, pk=request.POST.get("post") or 0)
        .select_related("brand")
        .first()
    )
    if post is None:
        messages.error(request, _("This post is no longer awaiting you."))
        return
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")
    name = request.POST.get("name", "")[:80]
    if name:
        link.label = name
    try:
        if decision == "approve":
            services.post_approve(actor=None, post=post, comment=comment, link=link)
            messages.success(request, _("Approved. Thank you."))
        elif decision == "changes":
            services.post_request_changes(actor=None, post=post, comment=comment, link=link)
            messages.success(request, _("Your request was sent to the agency."))
        else:
            services.link_comment_add(link=link, post=post, body=comment, name=name)
            messages.success(request, _("Your comment was sent to the agency."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _messages_of(exc))


approval_link.public = True


def ics_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The brand's planned posts as an iCalendar feed (RFC 5545) for the client's calendar."""
    from agency.tenancy import tenant_scope

    try:
        link = selectors.share_link_from_token(token, kind=ShareLinkKind.CALENDAR)
    except selectors.LinkUnusable as exc:
        return HttpResponse(exc.reason, status=exc.status, content_type="text/plain")
    with tenant_scope(link.agency_id):
        since = timezone.now() - dt.timedelta(days=90)
        posts = (
            services.Post.objects.filter(
                brand=link.brand, scheduled_at__gte=since, state__in=ics.FEED_STATES
            )
            .select_related("brand", "campaign")
            .prefetch_related("variants__social_account")
            .order_by("scheduled_at", "id")
        )
        body = ics.calendar_for(brand=link.brand, posts=posts)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{link.brand.slug}.ics"'
    return response


ics_feed.public = True
