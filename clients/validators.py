"""Validators of the brand profile's lists: words, hashtag sets, signatures, handles.

The models use them on their JSON fields, so a bad list is refused naming the field, whether
it comes from a form, the API or a service.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from networks.registry import NETWORK_CHOICES

MAX_LIST_ITEMS = 200
MAX_WORD_LENGTH = 80
HASHTAG_RE = re.compile(r"^#[^\s#]{1,100}$")


def validate_word_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Give a list of words or phrases."))
    if len(value) > MAX_LIST_ITEMS:
        raise ValidationError(
            _("At most %(max)s entries."), params={"max": MAX_LIST_ITEMS}, code="max_items"
        )
    for item in value:
        if not item.strip() or len(item) > MAX_WORD_LENGTH:
            raise ValidationError(
                _("Each entry must have 1 to %(max)s characters: “%(item)s”."),
                params={"max": MAX_WORD_LENGTH, "item": item[:MAX_WORD_LENGTH]},
            )


def validate_hashtag_sets(value) -> None:
    """[{"name": "Ramadan", "hashtags": ["#ramadan", "#ftour"]}, ...] with unique names."""
    if not isinstance(value, list):
        raise ValidationError(_("Hashtag sets must be a list of named sets."))
    seen = set()
    for entry in value:
        if (
            not isinstance(entry, dict)
            or set(entry) != {"name", "hashtags"}
            or not isinstance(entry["name"], str)
            or not isinstance(entry["hashtags"], list)
        ):
            raise ValidationError(_("Each hashtag set needs a name and a list of hashtags."))
        name = entry["name"].strip()
        if not name or len(name) > MAX_WORD_LENGTH:
            raise ValidationError(_("Give each hashtag set a name of at most 80 characters."))
        if name.lower() in seen:
            raise ValidationError(
                _("Two hashtag sets are named “%(name)s”."), params={"name": name}
            )
        seen.add(name.lower())
        if not entry["hashtags"]:
            raise ValidationError(_("The set “%(name)s” has no hashtags."), params={"name": name})
        for tag in entry["hashtags"]:
            if not isinstance(tag, str) or not HASHTAG_RE.match(tag):
                raise ValidationError(
                    _("“%(tag)s” is not a hashtag: a # followed by letters, no spaces."),
                    params={"tag": str(tag)[:100]},
                )


def validate_signatures(value) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Give a list of signatures."))
    if len(value) > 20:
        raise ValidationError(_("At most 20 signatures."))
    for item in value:
        if not item.strip() or len(item) > 280:
            raise ValidationError(_("Each signature must have 1 to 280 characters."))


def validate_handles(value) -> None:
    """{"instagram": "@cafe", "x": "cafe"}: one handle per known network."""
    if not isinstance(value, dict):
        raise ValidationError(_("Handles must map a network to a handle."))
    known = {choice for choice, _label in NETWORK_CHOICES}
    unknown = sorted(set(value) - known)
    if unknown:
        raise ValidationError(
            _("Unknown network(s): %(networks)s. Use one of: %(known)s."),
            params={"networks": ", ".join(unknown), "known": ", ".join(sorted(known))},
            code="unknown_network",
        )
    for handle in value.values():
        if not isinstance(handle, str) or not handle.strip() or len(handle) > 100:
            raise ValidationError(_("Each handle must have 1 to 100 characters."))
