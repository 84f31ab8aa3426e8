"""People's writes to a brand's rules: create, edit (one validation for the form and the API),
order, switch on and off, delete. Each checks inbox.manage and that the actor is of the
agency's team (client roles never see the rules), runs in one transaction and is audited.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from agency import permissions
from agency.models import CLIENT_ROLES, Membership
from agency.services.audit import audit_record
from engagement.models import (
    AuthorList,
    ConversationKind,
    Label,
    MatchMode,
    ModerationRule,
    Priority,
    RuleAction,
    SavedReply,
)
from engagement.models.moderation import MAX_RULE_NAME_CHARS
from networks.registry import NETWORK_CHOICES
from reputation import expressions
from reputation.abuse import THRESHOLDS
from reputation.models.mentions import AbuseLabel, MentionLanguage, SentimentLabel

MAX_WORDS = 10_000
MAX_FOLLOWERS = 10**12
CONDITION_FIELDS = (
    "expression",
    "languages",
    "sentiments",
    "abuse_label",
    "kinds",
    "networks",
    "has_link",
    "has_email",
    "has_phone",
    "min_words",
    "max_words",
    "author_list",
    "min_followers",
    "first_message",
)
FIELDS = (
    "name",
    "enabled",
    "match",
    *CONDITION_FIELDS,
    "abuse_min_score",
    "actions",
    "assignee",
    "label",
    "priority",
    "saved_reply",
    "notify_user",
)


def require_team(actor) -> None:
    """Rules are the agency team's: client roles have no access, even to read them."""
    permissions.require(actor, permissions.INBOX_VIEW)
    if getattr(actor, "is_client", False):
        raise PermissionDenied("Client roles do not see moderation rules.")


def require_editor(actor) -> None:
    require_team(actor)
    permissions.require(actor, permissions.INBOX_MANAGE)


def _choices(value, allowed, field: str, errors: dict) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors[field] = _("Give a list of values.")
        return []
    unknown = [v for v in value if v not in allowed]
    if unknown:
        errors[field] = _("Unknown values: %(values)s.") % {"values": ", ".join(unknown[:5])}
        return []
    return list(dict.fromkeys(value))


def _number(value, field: str, errors: dict, *, low: float, high: float, integer=True):
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        errors[field] = _("Give a number.")
        return None
    try:
        number = int(value) if integer else float(value)
    except (TypeError, ValueError, OverflowError):
        errors[field] = _("Give a number.")
        return None
    if not (low <= number <= high) or number != number:  # NaN
        errors[field] = _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        return None
    return number


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return bool(value)


def _team_member(agency_id: int, user_id, field: str, errors: dict) -> int | None:
    if user_id in (None, ""):
        return None
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        errors[field] = _("Choose a member of the agency's team.")
        return None
    found = (
        Membership.objects.filter(agency_id=agency_id, user_id=user_id)
        .exclude(role__in=CLIENT_ROLES)
        .exists()
    )
    if not found:
        errors[field] = _("Choose a member of the agency's team.")
        return None
    return user_id


def expression_error(source: str) -> str:
    """The expression's problem in plain words with where it is, or "" when it is valid."""
    try:
        expressions.parse(source)
    except expressions.ExpressionError as exc:
        return exc.message  # listening's own words, which say where (character n)
    return ""


def rule_clean(*, agency_id: int, brand_id: int, data: dict) -> dict:
    """The rule's fields from untrusted ``data`` (a form's or the API's), or a
    ValidationError naming each field's problem. Missing keys take the model's defaults."""
    errors: dict[str, str] = {}
    clean: dict = {}
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        errors["name"] = _("Name the rule.")
    elif len(name) > MAX_RULE_NAME_CHARS:
        errors["name"] = _("At most %(n)d characters.") % {"n": MAX_RULE_NAME_CHARS}
    clean["name"] = name
    clean["enabled"] = _flag(data.get("enabled", False))
    match = data.get("match") or MatchMode.ALL
    if match not in MatchMode.values:
        errors["match"] = _("Choose all or any.")
    clean["match"] = match

    expression = str(data.get("expression") or "").strip()
    if expression and (problem := expression_error(expression)):
        errors["expression"] = problem
    clean["expression"] = expression
    clean["languages"] = _choices(
        data.get("languages"), MentionLanguage.values, "languages", errors
    )
    clean["sentiments"] = _choices(
        data.get("sentiments"), SentimentLabel.values, "sentiments", errors
    )
    abuse_label = data.get("abuse_label") or ""
    if abuse_label and abuse_label not in AbuseLabel.values:
        errors["abuse_label"] = _("Unknown abuse category.")
    clean["abuse_label"] = abuse_label if isinstance(abuse_label, str) else ""
    # Labels are stored from their threshold on: a lower minimum would never see more.
    low = min(THRESHOLDS.values())
    score = _number(
        data.get("abuse_min_score"), "abuse_min_score", errors, low=low, high=1.0, integer=False
    )
    clean["abuse_min_score"] = low if score is None else score
    clean["kinds"] = _choices(data.get("kinds"), ConversationKind.values, "kinds", errors)
    clean["networks"] = _choices(
        data.get("networks"), [n for n, _label in NETWORK_CHOICES], "networks", errors
    )
    for flag in ("has_link", "has_email", "has_phone", "first_message"):
        clean[flag] = _flag(data.get(flag, False))
    clean["min_words"] = _number(data.get("min_words"), "min_words", errors, low=0, high=MAX_WORDS)
    clean["max_words"] = _number(data.get("max_words"), "max_words", errors, low=0, high=MAX_WORDS)
    if (
        clean["min_words"] is not None
        and clean["max_words"] is not None
        and clean["min_words"] > clean["max_words"]
    ):
        errors["max_words"] = _("The maximum is below the minimum.")
    author_list = data.get("author_list") or ""
    if author_list and author_list not in AuthorList.values:
        errors["author_list"] = _("Choose VIP or blocked.")
    clean["author_list"] = author_list if isinstance(author_list, str) else ""
    clean["min_followers"] = _number(
        data.get("min_followers"), "min_followers", errors, low=0, high=MAX_FOLLOWERS
    )
    in_use = [
        f for f in CONDITION_FIELDS if clean.get(f) not in (None, "", [], False) and f not in errors
    ]
    if not in_use and not any(f in errors for f in CONDITION_FIELDS):
        errors["__all__"] = _(
            "Give the rule at least one condition: without one it would match every message."
        )

    actions = _choices(data.get("actions"), RuleAction.values, "actions", errors)
    if not actions and "actions" not in errors:
        errors["actions"] = _("Choose at least one action.")
    if RuleAction.HIDE in actions and RuleAction.DELETE in actions:
        errors["actions"] = _("Hide or delete, not both: a deleted message cannot be hidden.")
    clean["actions"] = actions
    clean["assignee_id"] = _team_member(agency_id, data.get("assignee"), "assignee", errors)
    if RuleAction.ASSIGN in actions and clean["assignee_id"] is None and "assignee" not in errors:
        errors["assignee"] = _("Choose who the conversation goes to.")
    clean["notify_user_id"] = _team_member(
        agency_id, data.get("notify_user"), "notify_user", errors
    )
    if RuleAction.NOTIFY in actions and clean["notify_user_id"] is None:
        errors.setdefault("notify_user", _("Choose who to notify."))
    clean["label_id"] = None
    label = data.get("label")
    if label is not None and label != "":
        try:
            clean["label_id"] = Label.objects.get(agency_id=agency_id, pk=int(label)).pk
        except (TypeError, ValueError, Label.DoesNotExist):
            errors["label"] = _("Choose one of the agency's labels.")
    if RuleAction.LABEL in actions and clean["label_id"] is None:
        errors.setdefault("label", _("Choose the label to add."))
    clean["priority"] = _number(data.get("priority"), "priority", errors, low=0, high=3)
    if clean["priority"] is not None and clean["priority"] not in Priority.values:
        errors["priority"] = _("Choose low, normal, high or urgent.")
    if RuleAction.PRIORITY in actions and clean["priority"] is None:
        errors.setdefault("priority", _("Choose the priority to set."))
    clean["saved_reply_id"] = None
    saved = data.get("saved_reply")
    if saved is not None and saved != "":
        try:
            clean["saved_reply_id"] = SavedReply.objects.get(brand_id=brand_id, pk=int(saved)).pk
        except (TypeError, ValueError, SavedReply.DoesNotExist):
            errors["saved_reply"] = _("Choose one of the brand's saved replies.")
    if RuleAction.REPLY in actions and clean["saved_reply_id"] is None:
        errors.setdefault("saved_reply", _("Choose the saved reply to send."))
    if errors:
        raise ValidationError(errors)
    return clean


def _changed(rule: ModerationRule, clean: dict) -> list[str]:
    return sorted(k for k, v in clean.items() if getattr(rule, k) != v)


@transaction.atomic
def rule_create(*, actor, brand, data: dict) -> ModerationRule:
    require_editor(actor)
    if brand.agency_id != actor.agency_id:
        raise PermissionDenied("Not a brand of the actor's agency.")
    clean = rule_clean(agency_id=actor.agency_id, brand_id=brand.pk, data=data)
    last = ModerationRule.objects.filter(brand=brand).aggregate(p=Max("position"))["p"]
    rule = ModerationRule.objects.create(
        agency_id=actor.agency_id, brand=brand, position=0 if last is None else last + 1, **clean
    )
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="moderation.rule_created",
        target=rule,
        data={"brand": brand.pk, "enabled": rule.enabled},
    )
    return rule


@transaction.atomic
def rule_update(*, actor, rule: ModerationRule, data: dict) -> ModerationRule:
    """Replace the rule's fields with ``data``'s (missing keys take the defaults)."""
    require_editor(actor)
    rule = ModerationRule.objects.select_for_update().get(pk=rule.pk)
    clean = rule_clean(agency_id=actor.agency_id, brand_id=rule.brand_id, data=data)
    changed = _changed(rule, clean)
    for key, value in clean.items():
        setattr(rule, key, value)
    rule.save()
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="moderation.rule_changed",
        target=rule,
        data={"changed": changed},
    )
    return rule


def rule_data(rule: ModerationRule) -> dict:
    """The rule's fields as ``rule_clean`` takes them (to change a few and save the rest)."""
    keys = ("assignee", "label", "saved_reply", "notify_user")
    data = {f: getattr(rule, f) for f in FIELDS if f not in keys}
    data |= {key: getattr(rule, f"{key}_id") for key in keys}
    return data


@transaction.atomic
def rule_enable(*, actor, rule: ModerationRule, enabled: bool) -> ModerationRule:
    require_editor(actor)
    if rule.enabled != enabled:
        rule.enabled = enabled
        rule.save(update_fields=["enabled", "updated_at"])
        audit_record(
            agency=actor.agency,
            actor=actor,
            verb="moderation.rule_enabled" if enabled else "moderation.rule_disabled",
            target=rule,
        )
    return rule


@transaction.atomic
def rule_move(*, actor, rule: ModerationRule, direction: str) -> None:
    """Swap the rule with its neighbour above ("up") or below ("down"). The brand's rules are
    renumbered 0..n-1 first, so that equal positions (concurrent creations) cannot stick."""
    require_editor(actor)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move up or down."))
    rules = list(
        ModerationRule.objects.select_for_update()
        .filter(brand_id=rule.brand_id)
        .order_by("position", "id")
    )
    index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rules):
        return
    rules[index], rules[other] = rules[other], rules[index]
    for position, each in enumerate(rules):
        each.position = position
    ModerationRule.objects.bulk_update(rules, ["position"])
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="moderation.rule_moved",
        target=rule,
        data={"direction": direction, "position": other},
    )


@transaction.atomic
def rule_delete(*, actor, rule: ModerationRule) -> None:
    require_editor(actor)
    audit_record(
        agency=actor.agency,
        actor=actor,
        verb="moderation.rule_deleted",
        target=rule,
        data={"brand": rule.brand_id, "name": rule.name},
    )
    rule.delete()
