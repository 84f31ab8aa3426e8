"""The composer: a post's create and edit pages, and the live preview of every network."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import attach_errors, require_action
from campaigns.composer import Composition, check_composition
from campaigns.forms import PostForm
from campaigns.models import PostState
from campaigns.network_options import account_choices_cached, account_choices_or_error
from campaigns.selectors.media import media_visible_to
from campaigns.selectors.planning import campaigns_visible_to
from campaigns.selectors.posts import composer_accounts_of, post_comments, post_get_for
from campaigns.services import posts
from campaigns.services.workflow import post_submit
from campaigns.times import to_utc
from campaigns.views.helpers import brand_or_default, messages_of
from clients.selectors import brand_guidelines_of, brands_visible_to

# What a brand change carries to the new brand's composer (the accounts, media and campaign
# are the brand's own, so they are chosen again).
CARRIED_FIELDS = ("title", "text", "link", "first_comment")


def _autosave_key(brand, post) -> str:
    """Where the browser keeps the unsaved draft: per post version, or per brand when new."""
    return f"composer:post:{post.pk}:v{post.version}" if post else f"composer:brand:{brand.pk}"


def _media_urls(values) -> list[str]:
    """The post's media addresses (a CSV import's media_url) sent back by the composer, for
    the preview only: http(s) addresses, at most ten."""
    return [v for v in values if re.match(r"^https?://[^\s]+$", v)][:10]


def _cached_choices(account, name):
    return account_choices_cached(account, name), ""


def _post_form(request, brand, data=None, *, ask_network=True, **kwargs) -> PostForm:
    """The composer's form; ``ask_network``: load the accounts' own option choices (boards...)
    from their networks when not cached, else (the live preview) use the cache only."""
    return PostForm(
        data,
        brand=brand,
        accounts=composer_accounts_of(brand),
        media=media_visible_to(request.membership, brand_id=brand.pk),
        campaigns=campaigns_visible_to(request.membership, brand_id=brand.pk),
        option_choices=account_choices_or_error if ask_network else _cached_choices,
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
        # What the reviewers said, beside the text it is about (the same thread as the post's page).
        "comments": post_comments(post, actor=request.membership) if post else [],
        "section": "calendar",
        "carried_fields": " ".join(CARRIED_FIELDS),
        "autosave_key": _autosave_key(brand, post),
    }


def _scheduled_utc(form, brand):
    local = form.cleaned_data.get("scheduled_at")
    return to_utc(local, brand.time_zone) if local else None


@require_action(permissions.POSTS_WRITE)
def post_create(request: HttpRequest) -> HttpResponse:
    brand = brand_or_default(request, request.POST.get("brand") or request.GET.get("brand"))
    if brand is None:
        messages.info(request, _("Create a brand first."))
        return redirect("brands:list")
    initial = {}
    if request.GET.get("date"):
        initial["scheduled_at"] = f"{request.GET['date']}T10:00"
    # A brand change reloads the page: the text typed so far comes with it (campaigns.js).
    for name in CARRIED_FIELDS:
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = _post_form(request, brand, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # saved and submitted together, or not at all
                post = _create_from_form(request, form, brand)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The post is saved."))
            return redirect("campaigns:post_detail", post_id=post.pk)
    return render(request, "campaigns/composer.html", _composer_context(request, form, brand))


def _post_fields(form, brand) -> dict:
    """The composer's input as the post services take it (the same for a new post and an
    edit)."""
    data = form.cleaned_data
    return {
        "account_ids": [a.pk for a in data["accounts"]],
        "overrides": form.overrides(),
        "media_overrides": {k: [m.pk for m in v] for k, v in form.media_overrides().items()},
        "network_options": form.network_options(),
        "campaign": data["campaign"],
        "scheduled_at": _scheduled_utc(form, brand),
        "labels": form.labels_list(),
        "title": data["title"],
        "text": data["text"],
        "link": data["link"],
        "first_comment": data["first_comment"],
        "media_ids": [m.pk for m in data["media"]],
    }


def _create_from_form(request, form, brand):
    post = posts.post_create(actor=request.membership, brand=brand, **_post_fields(form, brand))
    if "submit" in request.POST:
        post_submit(actor=request.membership, post=post)
    return post


@require_action(permissions.POSTS_WRITE)
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = post_get_for(actor=request.membership, post_id=post_id)
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
                attach_errors(form, exc)
            else:
                messages.success(request, _("The post is saved."))
                return redirect("campaigns:post_detail", post_id=post.pk)
    else:
        form = _post_form(request, brand, initial=_initial_of(post))
    return render(request, "campaigns/composer.html", _composer_context(request, form, brand, post))


def _update_from_form(request, form, post):
    posts.post_update(actor=request.membership, post=post, **_post_fields(form, post.brand))
    if "submit" in request.POST and post.state in (PostState.DRAFT, PostState.CHANGES_REQUESTED):
        post.refresh_from_db()
        post_submit(actor=request.membership, post=post)


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
        for name, value in (variant.network_options or {}).items():
            initial[f"option_{variant.social_account_id}_{name}"] = value
    return initial


@require_action(permissions.POSTS_WRITE)
@require_POST
def compose_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the per-network previews, counts and rule errors of the composer as typed."""
    brand = brand_or_default(request, request.POST.get("brand"))
    if brand is None:
        return HttpResponseBadRequest()
    form = _post_form(request, brand, request.POST, ask_network=False)
    form.is_valid()  # partial input is fine: preview what parses
    data = getattr(form, "cleaned_data", {})
    post_id = request.POST.get("post_id")
    composition = Composition(
        brand=brand,
        text=data.get("text", request.POST.get("text", "")),
        link=data.get("link", "") or "",
        first_comment=data.get("first_comment", ""),
        media=list(data.get("media") or []),
        media_urls=_media_urls(request.POST.getlist("media_urls")),
        campaign=data.get("campaign"),
        accounts=list(data.get("accounts") or []),
        overrides=form.overrides() if hasattr(form, "cleaned_data") else {},
        media_overrides=form.media_overrides(),
        options=form.network_options(),
        post_id=int(post_id) if post_id and post_id.isdigit() else None,
    )
    scheduled_error = ""
    try:
        composition.scheduled_at = _scheduled_utc(form, brand) if data else None
    except ValidationError as exc:
        scheduled_error = messages_of(exc)
    checks = check_composition(composition)
    return render(
        request,
        "campaigns/_preview.html",
        {"checks": checks, "scheduled_error": scheduled_error, "composition": composition},
    )
