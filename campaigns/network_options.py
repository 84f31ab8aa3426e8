"""Each network's own publishing options on a post's variant (networks.options): which ones
an account's network declares, their values cleaned on the way in, and the account's own
choices (its Pinterest boards, its TikTok privacy levels) loaded from the network and cached.

Values are cleaned when saved (unknown names and wrong types refused) but completeness is
checked with the rest of the content rules (campaigns.composer), so that a draft can be saved
before its board is chosen and submission says what is missing.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.network_errors import network_error_words
from networks.base import NetworkError
from networks.options import OptionKind, PublishOption
from networks.registry import adapter_class

CHOICES_CACHE_SECONDS = 600
# Above any option a network declares (YouTube's title: 100, a content warning: 500): a bound
# on what is stored whatever the option's own limit, which the content rules check.
MAX_OPTION_CHARS = 2000


def options_of(network: str) -> tuple[PublishOption, ...]:
    """The options ``network`` asks for besides text and media (empty for most)."""
    try:
        return adapter_class(network).publish_options
    except ValueError:
        return ()


def options_clean(account, values) -> dict:
    """``values`` as stored on the account's variant: declared names only, booleans as
    booleans, text stripped, empty values dropped. Raises ValidationError naming the option."""
    if values in (None, ""):
        return {}
    if not isinstance(values, dict):
        raise ValidationError(
            {
                "network_options": _("The options of %(account)s must be an object.")
                % {"account": account}
            }
        )
    declared = {option.name: option for option in options_of(account.network)}
    cleaned = {}
    for name, value in values.items():
        option = declared.get(name)
        if option is None:
            raise ValidationError(
                {
                    "network_options": _("%(account)s has no option “%(name)s”.")
                    % {"account": account, "name": name}
                }
            )
        if option.kind == OptionKind.BOOL:
            if not isinstance(value, bool):
                raise ValidationError(
                    {"network_options": _("“%(name)s” must be true or false.") % {"name": name}}
                )
            cleaned[name] = value
        elif value is not None and str(value).strip():
            if not isinstance(value, str | int):
                raise ValidationError(
                    {"network_options": _("“%(name)s” must be text.") % {"name": name}}
                )
            text = str(value).strip()
            if len(text) > MAX_OPTION_CHARS:  # refused, never cut: what was typed is kept whole
                raise ValidationError(
                    {
                        "network_options": _("“%(name)s” is too long: at most %(max)s characters.")
                        % {"name": name, "max": f"{MAX_OPTION_CHARS:,}"}
                    }
                )
            cleaned[name] = text
    return cleaned


def _cache_key(account, name: str) -> str:
    return f"network-option-choices:{account.agency_id}:{account.pk}:{name}"


def account_choices_cached(account, name: str) -> list[tuple[str, str]] | None:
    """The account's choices for option ``name`` if loaded recently, else None (unknown)."""
    return cache.get(_cache_key(account, name))


def account_choices_load(account, name: str) -> list[tuple[str, str]]:
    """Ask the network for the account's choices (cached ten minutes). Raises NetworkError."""
    from clients.adapters import build_adapter
    from clients.services.accounts import credentials_of

    cached = account_choices_cached(account, name)
    if cached is not None:
        return cached
    adapter = build_adapter(account.network)
    choices = [
        (str(value), str(label))
        for value, label in adapter.option_choices(credentials_of(account), name)
    ]
    cache.set(_cache_key(account, name), choices, CHOICES_CACHE_SECONDS)
    return choices


def account_choices_or_error(account, name: str) -> tuple[list[tuple[str, str]] | None, str]:
    """(choices, "") or (None, what went wrong in words) — for the composer's form."""
    try:
        return account_choices_load(account, name), ""
    except NetworkError as exc:
        return None, _("The choices could not be loaded: %(reason)s.") % {
            "reason": network_error_words(exc)
        }


def known_account_choices(account) -> dict[str, list[str]]:
    """{option name: allowed values} for the account's options whose choices are cached."""
    known = {}
    for option in options_of(account.network):
        if option.account_choices:
            cached = account_choices_cached(account, option.name)
            if cached is not None:
                known[option.name] = [value for value, _label in cached]
    return known
