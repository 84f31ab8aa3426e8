"""Per-network publishing options: what a network needs besides text and media.

Pinterest pins go to a board and may carry a destination link, a YouTube video needs a title
and a privacy status, a TikTok post a privacy level the creator's account allows. An adapter
declares its options in ``publish_options``; the composer shows them for each account of that
network, stores the answers on the post's variant, and the publishing engine hands them to
``publish`` in ``PostContent.options``. Choices that depend on the account (its boards, the
privacy levels its creator info allows) come from ``NetworkAdapter.option_choices``.

Labels and help texts are English; the Django side translates them (their French is in the
project's catalogue like any other string).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .content import RuleViolation
from .text import find_urls


class OptionKind(enum.StrEnum):
    TEXT = "text"
    URL = "url"
    CHOICE = "choice"
    BOOL = "bool"


@dataclass(frozen=True)
class PublishOption:
    name: str  # the key in PostContent.options
    label: str
    kind: OptionKind = OptionKind.TEXT
    required: bool = False
    max_length: int | None = None
    # Fixed choices (value, label). With ``account_choices`` the account's own choices
    # (``NetworkAdapter.option_choices``) are the valid ones instead.
    choices: tuple[tuple[str, str], ...] = ()
    account_choices: bool = False
    default: str = ""
    help_text: str = ""


def check_options(
    declared: Iterable[PublishOption],
    values: Mapping[str, object],
    *,
    account_choices: Mapping[str, Iterable[str]] | None = None,
) -> list[RuleViolation]:
    """Everything wrong with ``values`` for these options (empty: they can be sent).

    ``account_choices`` gives, per option name, the values the account allows when they are
    known; an option whose account choices are unknown is only checked for presence.
    Violations use ``field="options.<name>"`` and the codes ``option_required``,
    ``option_too_long``, ``option_not_a_choice``, ``option_not_a_url`` and ``option_unknown``.
    """
    declared = list(declared)
    names = {option.name for option in declared}
    problems = [
        RuleViolation("option_unknown", f"unknown option {name!r}", f"options.{name}")
        for name in values
        if name not in names
    ]
    for option in declared:
        problem = _check_one(option, values.get(option.name), account_choices or {})
        if problem:
            problems.append(problem)
    return problems


def _check_one(option: PublishOption, value, account_choices) -> RuleViolation | None:
    where = f"options.{option.name}"
    params = {"option": option.label}
    if value in (None, ""):
        if option.required:
            return RuleViolation("option_required", f"{option.label} is required", where, params)
        return None
    if option.kind == OptionKind.BOOL:
        if not isinstance(value, bool):
            return RuleViolation(
                "option_not_a_choice", f"{option.label} must be true or false", where, params
            )
        return None
    text = str(value)
    if option.max_length and len(text) > option.max_length:
        return RuleViolation(
            "option_too_long",
            f"{option.label} allows {option.max_length} characters",
            where,
            {**params, "max_length": option.max_length, "length": len(text)},
        )
    if option.kind == OptionKind.URL and find_urls(text, schemeless=False) != [(0, len(text))]:
        return RuleViolation(
            "option_not_a_url", f"{option.label} must be a web address", where, params
        )
    if option.kind == OptionKind.CHOICE:
        if option.account_choices:
            allowed = account_choices.get(option.name)
        else:
            allowed = [choice for choice, _label in option.choices]
        if allowed is not None and text not in set(allowed):
            return RuleViolation(
                "option_not_a_choice", f"{option.label}: {text!r} is not a choice", where, params
            )
    return None


# A post made for a brand that pays for it (networks.policy): every network's policy asks it
# to be disclosed. Declared by the adapters whose API has no label of its own to send, so the
# composer asks; the disclosure is then checked in the text.
PAID_PARTNERSHIP = PublishOption(
    name="paid_partnership",
    label="Paid partnership",
    kind=OptionKind.BOOL,
    help_text="A brand pays for this post: the text must say so (#ad, #sponsored, "
    "“collaboration commerciale”).",
)
