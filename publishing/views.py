"""The publishing queue: what is coming, being sent, failed (with a retry button) and needs a
person's check (with "it was published" / "publish again"); and the kill switches."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import current_brand_id, require_action
from campaigns.selectors.planning import policy_of
from clients.selectors import (
    brand_get_for,
    brands_visible_to,
    deprecation_notices_latest,
    network_api_statuses,
)
from publishing.cancel import variant_cancel
from publishing.decisions import variant_resolve, variant_retry
from publishing.selectors import queue_sections, variant_get_for
from publishing.switches import (
    agency_publishing_pause_set,
    agency_publishing_paused,
    brand_publishing_pause_set,
)


@require_action(permissions.CAMPAIGNS_VIEW)
def publishing_queue(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    now = timezone.now()
    brands = list(brands_visible_to(actor))
    for brand in brands:
        brand.paused = policy_of(brand).publishing_paused
    return render(
        request,
        "publishing/queue.html",
        {
            "section": "queue",
            "now": now,
            **queue_sections(actor=actor, now=now, brand_id=current_brand_id(request)),
            "brands": brands,
            "agency_paused": agency_publishing_paused(agency_id=actor.agency_id),
            # Networks whose API version retires within the watch's first threshold (60 days).
            "retiring_apis": [
                status
                for status in network_api_statuses(today=timezone.localdate(now))
                if status.days_left is not None and status.days_left <= 60
            ],
            "can_write": permissions.can(actor, permissions.POSTS_WRITE),
            "can_pause_brand": permissions.can(actor, permissions.CAMPAIGNS_MANAGE),
            "can_pause_agency": permissions.can(actor, permissions.AGENCY_EDIT),
        },
    )


@require_action(permissions.CAMPAIGNS_VIEW)
def network_status(request: HttpRequest) -> HttpResponse:
    """The networks' API versions in use, when each retires, and what the networks' answers
    said about their APIs going away (docs/networks.md, "Network rules watch")."""
    today = timezone.localdate()
    return render(
        request,
        "publishing/network_status.html",
        {
            "section": "queue",
            "statuses": network_api_statuses(today=today),
            "notices": deprecation_notices_latest(),
        },
    )


def _act(request, action, done: str = "") -> HttpResponse:
    """Run ``action``; say ``done`` when it worked, the refusal's own words when it did not."""
    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text or _("You cannot do that."))
    else:
        if done:
            messages.success(request, done)
    return redirect("publishing:publishing_queue")


def _on_variant(request, post_variant_id: int, service, done: str, **arguments) -> HttpResponse:
    """``service`` applied by the member to one of the agency's variants (another's is a 404)."""
    variant = variant_get_for(actor=request.membership, post_variant_id=post_variant_id)
    return _act(
        request,
        lambda: service(actor=request.membership, post_variant=variant, **arguments),
        done,
    )


@require_action(permissions.POSTS_WRITE)
@require_POST
def post_variant_retry(request: HttpRequest, post_variant_id: int) -> HttpResponse:
    done = _("It will be published again in a few seconds.")
    return _on_variant(request, post_variant_id, variant_retry, done)


@require_action(permissions.POSTS_WRITE)
@require_POST
def post_variant_cancel(request: HttpRequest, post_variant_id: int) -> HttpResponse:
    """Cancel one account's publication that waits (its due time, a retry, a rate limit)."""
    done = _("Cancelled: it will not be published on this account.")
    return _on_variant(request, post_variant_id, variant_cancel, done)


@require_action(permissions.POSTS_WRITE)
@require_POST
def post_variant_resolve(request: HttpRequest, post_variant_id: int) -> HttpResponse:
    return _on_variant(
        request,
        post_variant_id,
        variant_resolve,
        _("Noted."),
        outcome=request.POST.get("outcome", ""),
        external_url=request.POST.get("external_url", "").strip(),
    )


@require_action(permissions.CAMPAIGNS_MANAGE)
@require_POST
def brand_publishing_pause(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = brand_get_for(actor=request.membership, brand_id=brand_id)
    paused = request.POST.get("paused") == "1"
    return _act(
        request,
        lambda: brand_publishing_pause_set(actor=request.membership, brand=brand, paused=paused),
    )


@require_action(permissions.AGENCY_EDIT)
@require_POST
def agency_publishing_pause(request: HttpRequest) -> HttpResponse:
    paused = request.POST.get("paused") == "1"
    return _act(
        request,
        lambda: agency_publishing_pause_set(actor=request.membership, paused=paused),
    )
