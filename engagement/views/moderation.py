"""A brand's moderation rules: the ordered list (move, switch on/off, delete), the form (its
problems shown beside each field), the dry run and the brand's VIP and blocked authors.

For the agency's team only: reading needs inbox.view and a team role (client roles get 403),
every change inbox.manage; another agency's brand or rule is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agency import permissions
from agency.views.common import require_action
from agency.visibility import get_visible_or_404
from clients.selectors import brand_get_for
from engagement.forms import BrandAuthorForm, ModerationRuleForm, rule_form_data
from engagement.models import BrandAuthor, Label, ModerationRule, RuleAction, SavedReply
from engagement.selectors.inbox import team_of_agency
from engagement.services.moderation import authors, rules
from engagement.services.moderation.dry_run import DRY_RUN_DAYS, rule_dry_run

DRY_RUN_PAGE = 25


def _brand(request: HttpRequest, brand_id: int):
    rules.require_team(request.membership)
    return brand_get_for(actor=request.membership, brand_id=brand_id)


def _rule(request: HttpRequest, brand, moderation_rule_id: int) -> ModerationRule:
    return get_visible_or_404(
        ModerationRule.objects.filter(brand=brand), moderation_rule_id, actor=request.membership
    )


def _form(request: HttpRequest, brand, **kwargs) -> ModerationRuleForm:
    actor = request.membership
    return ModerationRuleForm(
        team=team_of_agency(actor),
        labels=Label.objects.filter(agency_id=actor.agency_id),
        saved_replies=SavedReply.objects.filter(brand=brand).order_by("title", "id"),
        **kwargs,
    )


def _errors_onto(form: ModerationRuleForm, exc: ValidationError) -> None:
    form.is_valid()  # binds the typed values, so that the page shows them back
    for field, problems in exc.message_dict.items():
        target = field if field in form.fields else None
        if field == NON_FIELD_ERRORS:
            target = None
        for problem in problems:
            form.add_error(target, problem)


@require_action(permissions.INBOX_VIEW)
def rule_list(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = _brand(request, brand_id)
    found = list(
        ModerationRule.objects.filter(brand=brand)
        .select_related("label")
        .order_by("position", "id")
    )
    return render(
        request,
        "engagement/moderation/rules.html",
        {
            "brand": brand,
            "rules": found,
            "action_names": dict(RuleAction.choices),
            "can_manage": permissions.can(request.membership, permissions.INBOX_MANAGE),
        },
    )


@require_action(permissions.INBOX_MANAGE)
def rule_create(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = _brand(request, brand_id)
    form = _form(request, brand)
    if request.method == "POST":
        form = _form(request, brand, data=request.POST)
        try:
            rule = rules.rule_create(
                actor=request.membership, brand=brand, data=rule_form_data(request.POST)
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, _("Rule saved. Try a dry run before switching it on."))
            return redirect(
                "dashboard:moderation_rule_dry_run", brand_id=brand.pk, moderation_rule_id=rule.pk
            )
    return render(request, "engagement/moderation/rule_form.html", {"brand": brand, "form": form})


@require_action(permissions.INBOX_MANAGE)
def rule_edit(request: HttpRequest, brand_id: int, moderation_rule_id: int) -> HttpResponse:
    brand = _brand(request, brand_id)
    rule = _rule(request, brand, moderation_rule_id)
    initial = rules.rule_data(rule)
    initial = {k: ("" if v is None else v) for k, v in initial.items()}
    form = _form(request, brand, initial=initial)
    if request.method == "POST":
        form = _form(request, brand, data=request.POST)
        try:
            rules.rule_update(
                actor=request.membership, rule=rule, data=rule_form_data(request.POST)
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("dashboard:moderation_rules", brand_id=brand.pk)
    return render(
        request,
        "engagement/moderation/rule_form.html",
        {"brand": brand, "form": form, "rule": rule},
    )


def _change(request: HttpRequest, brand_id: int, moderation_rule_id: int, change) -> HttpResponse:
    brand = _brand(request, brand_id)
    rule = _rule(request, brand, moderation_rule_id)
    try:
        change(rule)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("dashboard:moderation_rules", brand_id=brand.pk)


@require_action(permissions.INBOX_MANAGE)
@require_POST
def rule_move(request: HttpRequest, brand_id: int, moderation_rule_id: int) -> HttpResponse:
    direction = request.POST.get("direction", "")
    return _change(
        request,
        brand_id,
        moderation_rule_id,
        lambda r: rules.rule_move(actor=request.membership, rule=r, direction=direction),
    )


@require_action(permissions.INBOX_MANAGE)
@require_POST
def rule_enable(request: HttpRequest, brand_id: int, moderation_rule_id: int) -> HttpResponse:
    enabled = request.POST.get("enabled") == "1"
    return _change(
        request,
        brand_id,
        moderation_rule_id,
        lambda r: rules.rule_enable(actor=request.membership, rule=r, enabled=enabled),
    )


@require_action(permissions.INBOX_MANAGE)
@require_POST
def rule_delete(request: HttpRequest, brand_id: int, moderation_rule_id: int) -> HttpResponse:
    return _change(
        request,
        brand_id,
        moderation_rule_id,
        lambda r: rules.rule_delete(actor=request.membership, rule=r),
    )


@require_action(permissions.INBOX_VIEW)
def rule_dry_run_view(request: HttpRequest, brand_id: int, moderation_rule_id: int) -> HttpResponse:
    brand = _brand(request, brand_id)
    rule = _rule(request, brand, moderation_rule_id)
    result = rule_dry_run(rule)
    page = Paginator(result.matches, DRY_RUN_PAGE).get_page(request.GET.get("page"))
    names = dict(RuleAction.choices)
    return render(
        request,
        "engagement/moderation/dry_run.html",
        {
            "brand": brand,
            "rule": rule,
            "result": result,
            "page": page,
            "days": DRY_RUN_DAYS,
            "action_counts": [(names.get(a, a), n) for a, n in result.actions.most_common()],
            "refused_counts": [(names.get(a, a), n) for a, n in result.refused.most_common()],
            "action_names": names,
            "can_manage": permissions.can(request.membership, permissions.INBOX_MANAGE),
        },
    )


@require_action(permissions.INBOX_VIEW)
def author_lists(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = _brand(request, brand_id)
    form = BrandAuthorForm()
    if request.method == "POST":
        permissions.require(request.membership, permissions.INBOX_MANAGE)
        form = BrandAuthorForm(data=request.POST)
        if form.is_valid():
            try:
                authors.author_list_add(
                    actor=request.membership,
                    brand=brand,
                    list_=form.cleaned_data["list"],
                    network=form.cleaned_data["network"],
                    handle=form.cleaned_data["handle"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                for field, problems in exc.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("Author added to the list."))
                return redirect("dashboard:moderation_authors", brand_id=brand.pk)
    entries = BrandAuthor.objects.filter(brand=brand).order_by("list", "network", "handle")
    return render(
        request,
        "engagement/moderation/authors.html",
        {
            "brand": brand,
            "form": form,
            "entries": list(entries),
            "can_manage": permissions.can(request.membership, permissions.INBOX_MANAGE),
        },
    )


@require_action(permissions.INBOX_MANAGE)
@require_POST
def author_remove(request: HttpRequest, brand_id: int, brand_author_id: int) -> HttpResponse:
    brand = _brand(request, brand_id)
    entry = get_visible_or_404(
        BrandAuthor.objects.filter(brand=brand), brand_author_id, actor=request.membership
    )
    authors.author_list_remove(actor=request.membership, entry=entry)
    messages.success(request, _("Author removed from the list."))
    return redirect("dashboard:moderation_authors", brand_id=brand.pk)
