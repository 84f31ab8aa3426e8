"""The networks' content policies as content rules: what they state beyond sizes and counts.

Each network's ``ContentRules`` (``networks/<name>/rules.py``) says which apply to it;
:func:`networks.rules.check_content` calls :func:`check_policy`. A rule is an **error** where
the network refuses the post (or its policy forbids it outright) and a **warning** where the
network only recommends (``RuleViolation.severity``). Sources in docs/networks.md, "Content
policies".

* Paid partnerships: a post marked as one (the ``paid_partnership`` publish option) must say
  so. Where the network has its own branded-content label and the adapter sends it
  (``ContentRules.paid_partnership_flag``, TikTok's ``brand_content_toggle``), that label is
  the disclosure; elsewhere the text must carry one (``#ad``, ``#sponsored``, ``#sponsorisé``,
  ``#publicité``, "collaboration commerciale"...): error ``paid_partnership_undisclosed``. A
  text that reads as sponsored on a network with a label that is not switched on: warning
  ``paid_partnership_label_missing``.
  X's policy names the one hashtag it accepts, ``#ad`` (``ContentRules.disclosure_hashtags``):
  error ``paid_partnership_hashtag_required``.
* Mentions: Instagram takes at most 20 @ tags in a caption (``too_many_mentions``, error).
* Hashtags beyond what the network recommends (X: two): warning
  ``hashtags_above_recommended``; the hard limits stay ``too_many_hashtags``.
* Duplicates: ``ContentRules.duplicate_refused`` says the network refuses a post identical to
  a recent one of the same account (X, Facebook, LinkedIn); the composer, which knows the
  account's other posts, makes its duplicate warning an error there.
"""

from __future__ import annotations

import unicodedata

import regex

from .base import PostContent
from .content import ContentRules, RuleViolation

PAID_PARTNERSHIP_OPTION = "paid_partnership"
WARNING = "warning"

# Disclosures the networks' policies and the French influencer law (loi n° 2023-451, art. 5:
# "Publicité" or "Collaboration commerciale") accept, compared without case or accents.
DISCLOSURE_HASHTAGS = frozenset(
    {
        "ad",
        "ads",
        "advert",
        "advertisement",
        "sponsored",
        "sponsor",
        "paidpartnership",
        "partnership",
        "sponsorise",
        "sponsorisee",
        "publicite",
        "pub",
        "partenariat",
        "partenariatremunere",
        "collaborationcommerciale",
        "collabcommerciale",
        "اعلان",
        "إعلان",
    }
)
DISCLOSURE_PHRASES = (
    "paid partnership",
    "sponsored by",
    "collaboration commerciale",
    "partenariat remunere",
    "publicite",
    "sponsorise par",
    "en partenariat avec",
    "إعلان",
)

_HASHTAG = regex.compile(r"(?<![\w#&])#(\w*[^\W\d]\w*)")
# @handle, @handle@instance: an @ not inside a word or an e-mail address.
_MENTION = regex.compile(r"(?<![\w@.])@(\w[\w.]*)")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def discloses_partnership(text: str) -> bool:
    """Whether ``text`` says it is advertising, as the networks' policies ask."""
    folded = _fold(text)
    if any(_fold(tag) in DISCLOSURE_HASHTAGS for tag in _HASHTAG.findall(text)):
        return True
    return any(_fold(phrase) in folded for phrase in DISCLOSURE_PHRASES)


def count_mentions(text: str) -> int:
    return len(_MENTION.findall(text))


def check_policy(content: PostContent, rules: ContentRules, name: str, text: str):
    """The policy rules ``text`` (as it will be sent) and ``content``'s options break."""
    found: list[RuleViolation] = []
    options = content.options or {}
    marked = bool(options.get(PAID_PARTNERSHIP_OPTION))
    flag = rules.paid_partnership_flag
    labelled = bool(flag and options.get(flag))
    said = f"{text}\n{content.first_comment}"
    disclosed = discloses_partnership(said)
    if rules.disclosure_hashtags:
        tags = {_fold(tag) for tag in _HASHTAG.findall(said)}
        if marked and not labelled and not tags & rules.disclosure_hashtags:
            shown = ", ".join(f"#{tag}" for tag in sorted(rules.disclosure_hashtags))
            found.append(
                RuleViolation(
                    "paid_partnership_hashtag_required",
                    f"{name}'s policy requires a paid partnership to carry {shown} in the text.",
                    "text",
                    {"hashtags": shown},
                )
            )
    elif marked and not labelled and not disclosed:
        found.append(
            RuleViolation(
                "paid_partnership_undisclosed",
                f"{name} requires a paid partnership to be disclosed: add #ad, #sponsored or "
                "“collaboration commerciale” to the text"
                + (" or switch on the network's branded-content label." if flag else "."),
                "text",
            )
        )
    elif flag and not labelled and disclosed:
        found.append(
            RuleViolation(
                "paid_partnership_label_missing",
                f"This text reads as a paid partnership: {name} asks for its branded-content "
                "label to be switched on as well.",
                f"options.{flag}",
                severity=WARNING,
            )
        )
    if rules.max_mentions is not None:
        mentions = count_mentions(text)
        if mentions > rules.max_mentions:
            found.append(
                RuleViolation(
                    "too_many_mentions",
                    f"{name} allows {rules.max_mentions} @mentions; this text has {mentions}.",
                    "text",
                    {"count": mentions, "max_mentions": rules.max_mentions},
                )
            )
    if rules.recommended_max_hashtags is not None:
        hashtags = len(_HASHTAG.findall(text))
        hard = rules.max_hashtags
        if hashtags > rules.recommended_max_hashtags and (hard is None or hashtags <= hard):
            found.append(
                RuleViolation(
                    "hashtags_above_recommended",
                    f"{name} recommends at most {rules.recommended_max_hashtags} hashtags; "
                    f"this text has {hashtags}.",
                    "text",
                    {"count": hashtags, "max_hashtags": rules.recommended_max_hashtags},
                    severity=WARNING,
                )
            )
    return found
