"""Pages of the brands' saved replies and reply settings (signature, approval, client replies),
for people with ``inbox.manage``. Another agency's saved reply or brand answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import attach_errors, require_action
from agency.visibility import get_visible_or_404
from clients.selectors import brand_get_for, brands_visible_to
from engagement.forms_replies import ReplySettingsForm, SavedReplyForm
from engagement.models import SavedReply
from engagement.services import saved_replies as services


def _list_url(brand_id=None) -> str:
    from django.urls import reverse

    url = reverse("dashboard:saved_replies")
    return f"{url}?brand={brand_id}" if brand_id else url


@require_action(permissions.INBOX_MANAGE)
def saved_reply_list(request: HttpRequest) -> HttpResponse:
    actor = request.membership
    brands = list(brands_visible_to(actor))
    chosen = request.GET.get("brand", "")
    replies = SavedReply.objects.visible_to(actor).select_related("brand")
    if chosen.isdigit():
        replies = replies.filter(brand_id=int(chosen))
    return render(
        request,
        "engagement/saved_replies.html",
        {
            "brands": brands,
            "chosen": int(chosen) if chosen.isdigit() else None,
            "replies": replies.order_by("brand__name", "language", "title", "id")[:500],
            "variables": list(services.VARIABLES.items()),
        },
    )


def _reply_form(request: HttpRequest, instance: SavedReply | None) -> HttpResponse:
    actor = request.membership
    brands = brands_visible_to(actor)
    initial = {}
    if instance is None and request.GET.get("brand", "").isdigit():
        initial["brand"] = int(request.GET["brand"])
    form = SavedReplyForm(request.POST or None, instance=instance, initial=initial, brands=brands)
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.saved_reply_save(actor=actor, reply=form.instance)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_list_url(reply.brand_id))
    return render(
        request,
        "engagement/saved_reply_form.html",
        {"form": form, "instance": instance, "variables": list(services.VARIABLES.items())},
    )


@require_action(permissions.INBOX_MANAGE)
def saved_reply_create(request: HttpRequest) -> HttpResponse:
    return _reply_form(request, None)


def _saved_reply_get(actor, saved_reply_id: int) -> SavedReply:
    return get_visible_or_404(
        SavedReply.objects.visible_to(actor).select_related("brand"), saved_reply_id, actor=actor
    )


@require_action(permissions.INBOX_MANAGE)
def saved_reply_edit(request: HttpRequest, saved_reply_id: int) -> HttpResponse:
    return _reply_form(request, _saved_reply_get(request.membership, saved_reply_id))


@require_action(permissions.INBOX_MANAGE)
@require_POST
def saved_reply_delete(request: HttpRequest, saved_reply_id: int) -> HttpResponse:
    reply = _saved_reply_get(request.membership, saved_reply_id)
    services.saved_reply_delete(actor=request.membership, reply=reply)
    messages.success(request, _("“%(name)s” is deleted.") % {"name": reply.title})
    return redirect(_list_url(reply.brand_id))


@require_action(permissions.INBOX_MANAGE)
def reply_settings(request: HttpRequest, brand_id: int) -> HttpResponse:
    actor = request.membership
    brand = brand_get_for(actor=actor, brand_id=brand_id)
    current = services.reply_settings_for(brand)
    can_switch = permissions.can(actor, permissions.BRANDS_MANAGE)
    form = ReplySettingsForm(request.POST or None, instance=current, can_switch=can_switch)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_settings_save(actor=actor, settings=form.instance)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("dashboard:reply_settings", brand_id=brand.pk)
    return render(
        request,
        "engagement/reply_settings.html",
        {"form": form, "brand": brand, "can_switch": can_switch},
    )
