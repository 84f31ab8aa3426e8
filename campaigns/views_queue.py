"""The publishing queue: what is coming, being sent, failed (with a retry button) and needs a
person's check (with "it was published" / "publish again"); and the kill switches."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views import require_action
from campaigns import publishing
from campaigns.models import PostVariant, VariantState
from campaigns.publishing_cancel import variant_cancel
from campaigns.selectors.planning import policy_of
from clients.selectors import brand_get_for, brands_visible_to

V = VariantState
UPCOMING_LIMIT = 100


def _variants_visible_to(actor):
    return (
        PostVariant.objects.filter(post__brand__in=brands_visible_to(actor))
        .select_related("post__brand", "social_account")
        .order_by("due_at", "id")
    )


def _variant_get_for(actor, post_variant_id: int) -> PostVariant:
    found = _variants_visible_to(actor).filter(pk=post_variant_id).first()
    if found is None:
        raise Http404
    return found


@require_action(permissions.CAMPAIGNS_VIEW)
def publishing_queue(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    variants = _variants_visible_to(actor)
    now = timezone.now()
    brands = list(brands_visible_to(actor))
    for brand in brands:
        brand.paused = policy_of(brand).publishing_paused
    return render(
        request,
        "campaigns/queue.html",
        {
            "section": "queue",
            "now": now,
            "needs_attention": variants.filter(state=V.NEEDS_ATTENTION),
            "failed": variants.filter(state=V.FAILED).order_by("-due_at")[:100],
            "publishing": variants.filter(state=V.PUBLISHING),
            "upcoming": variants.filter(state=V.SCHEDULED, due_at__lte=now + dt.timedelta(days=7))[
                :UPCOMING_LIMIT
            ],
            # With the notes the engine left (e.g. the reaper found the post on the network).
            "published": variants.filter(
                state=V.PUBLISHED, published_at__gte=now - dt.timedelta(hours=24)
            ).order_by("-published_at")[:50],
            "brands": brands,
            "agency_paused": publishing.agency_publishing_paused(agency_id=actor.agency_id),
            "can_write": permissions.can(actor, permissions.POSTS_WRITE),
            "can_pause_brand": permissions.can(actor, permissions.CAMPAIGNS_MANAGE),
            "can_pause_agency": permissions.can(actor, permissions.AGENCY_EDIT),
        },
    )


def _act(request, action) -> HttpResponse:
    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text or _("You cannot do that."))
    return redirect("campaigns:publishing_queue")


@require_action(permissions.POSTS_WRITE)
@require_POST
def post_variant_retry(request: HttpRequest, post_variant_id: int) -> HttpResponse:
    variant = _variant_get_for(request.membership, post_variant_id)

    def retry():
        publishing.variant_retry(actor=request.membership, post_variant=variant)
        messages.success(request, _("It will be published again in a few seconds."))

    return _act(request, retry)


@require_action(permissions.POSTS_WRITE)
@require_POST
def post_variant_cancel(request: HttpRequest, post_variant_id: int) -> HttpResponse:
    """Cancel one account's publication that waits (its due time, a retry, a rate limit)."""
    variant = _variant_get_for(request.membership, post_variant_id)

    def cancel():
        variant_cancel(actor=request.membership, post_variant=variant)
        messages.success(request, _("Cancelled: it will not be published on this account."))

    return _act(request, cancel)


@require_action(permissions.POSTS_WRITE)
@require_POST
def post_variant_resolve(request: HttpRequest, post_variant_id: int) -> HttpResponse:
    variant = _variant_get_for(request.membership, post_variant_id)

    def resolve():
        publishing.variant_resolve(
            actor=request.membership,
            post_variant=variant,
            outcome=request.POST.get("outcome", ""),
            external_url=request.POST.get("external_url", "").strip(),
        )
        messages.success(request, _("Noted."))

    return _act(request, resolve)


@require_action(permissions.CAMPAIGNS_MANAGE)
@require_POST
def brand_publishing_pause(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = brand_get_for(actor=request.membership, brand_id=brand_id)
    paused = request.POST.get("paused") == "1"
    return _act(
        request,
        lambda: publishing.brand_publishing_pause_set(
            actor=request.membership, brand=brand, paused=paused
        ),
    )


@require_action(permissions.AGENCY_EDIT)
@require_POST
def agency_publishing_pause(request: HttpRequest) -> HttpResponse:
    paused = request.POST.get("paused") == "1"
    return _act(
        request,
        lambda: publishing.agency_publishing_pause_set(actor=request.membership, paused=paused),
    )
