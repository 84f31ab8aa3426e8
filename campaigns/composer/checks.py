"""The checks of a composition: what a post becomes on each network, and what is wrong.

`check_composition()` is the single check used by the composer's live preview, by submission,
by scheduling and rescheduling (calendar drag and drop), and by the CSV import: errors (the
network's content rules) block; warnings (words to avoid, a recent duplicate) are shown.
`variant_content()` is what the publishing engine sends.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.composer.links import add_utm, add_utm_in_text, utm_params
from campaigns.composer.media import media_item, media_item_from_url
from campaigns.composer.messages import rule_message
from campaigns.models import Campaign, MediaAsset, PostState, PostVariant
from campaigns.network_options import known_account_choices, options_of
from networks import rules
from networks.base import PostContent
from networks.options import check_options
from networks.registry import display_name


@dataclass
class Composition:
    """A post as typed in the composer (saved or not)."""

    brand: object
    text: str = ""
    link: str = ""
    first_comment: str = ""
    media: list[MediaAsset] = field(default_factory=list)
    media_urls: list[str] = field(default_factory=list)
    campaign: Campaign | None = None
    accounts: list = field(default_factory=list)  # SocialAccount rows
    overrides: dict[int, str] = field(default_factory=dict)  # account id -> text
    media_overrides: dict[int, list] = field(default_factory=dict)  # account id -> MediaAssets
    options: dict[int, dict] = field(default_factory=dict)  # account id -> network options
    scheduled_at: datetime | None = None
    post_id: int | None = None


@dataclass
class AccountCheck:
    account: object
    network: str
    text: str  # as it will be sent (UTM added, link appended where the network does)
    length: int
    max_length: int
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def build_content(
    *,
    network: str,
    text: str,
    link: str,
    first_comment: str,
    media: list[MediaAsset],
    media_urls: list[str],
    campaign: Campaign | None,
    options: dict | None = None,
) -> PostContent:
    params = utm_params(campaign, network)
    return PostContent(
        text=add_utm_in_text(text, params),
        link=add_utm(link, params),
        media=[media_item(asset) for asset in media] + [media_item_from_url(u) for u in media_urls],
        first_comment=first_comment,
        options=dict(options or {}),
    )


def variant_content(variant: PostVariant) -> PostContent:
    """Exactly what the publishing engine sends for this variant (UTM, media, first comment)."""
    from campaigns.selectors.media import media_by_ids

    post = variant.post
    media_ids = (
        variant.media_override_ids if variant.media_override_ids is not None else post.media_ids
    )
    content = build_content(
        network=variant.social_account.network,
        text=variant.text,
        link=post.link,
        first_comment=post.first_comment,
        media=media_by_ids(brand=post.brand, ids=media_ids),
        media_urls=post.media_urls if variant.media_override_ids is None else [],
        campaign=post.campaign,
        options=variant.network_options,
    )
    content.idempotency_key = variant.idempotency_key_for_attempt()
    return content


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_to_avoid_found(text: str, words: list[str]) -> list[str]:
    """The brand's words to avoid that the text contains (case and accents ignored)."""
    folded = _fold(text)
    found = []
    for word in words:
        pattern = r"(?<!\w)" + re.escape(_fold(word.strip())) + r"(?!\w)"
        if word.strip() and re.search(pattern, folded):
            found.append(word)
    return found


def _normalised(text: str) -> str:
    return " ".join(_fold(text).split())


def duplicates_of(composition: Composition, window_hours: int) -> dict[int, list[int]]:
    """{account id: [post ids]}: other posts with the same text on the same account within the
    window around this post's time (or now). One query for every account."""
    if not composition.accounts or window_hours <= 0:
        return {}
    when = composition.scheduled_at or timezone.now()
    window = timedelta(hours=window_hours)
    account_ids = [account.pk for account in composition.accounts]
    candidates = (
        PostVariant.objects.filter(
            agency_id=composition.brand.agency_id,
            social_account_id__in=account_ids,
        )
        .exclude(post__state=PostState.CANCELLED)
        .exclude(post_id=composition.post_id)
        .filter(
            # Planned or published near this post's time, or written recently without a time.
            models_q_near(when, window)
        )
        .select_related("post")
        .only("social_account_id", "text_override", "post__text", "post_id")
    )
    wanted = {
        account.pk: _normalised(composition.overrides.get(account.pk) or composition.text)
        for account in composition.accounts
    }
    found: dict[int, list[int]] = {}
    for variant in candidates:
        text = _normalised(variant.text_override or variant.post.text)
        if text and text == wanted.get(variant.social_account_id):
            found.setdefault(variant.social_account_id, []).append(variant.post_id)
    return found


def models_q_near(when: datetime, window: timedelta):
    from django.db.models import Q

    return (
        Q(post__scheduled_at__gte=when - window, post__scheduled_at__lte=when + window)
        | Q(published_at__gte=when - window, published_at__lte=when + window)
        | Q(post__scheduled_at=None, post__created_at__gte=when - window)
    )


def check_composition(composition: Composition) -> list[AccountCheck]:
    """Every account's preview, length (the network's way), errors and warnings."""
    from campaigns.selectors.planning import policy_of
    from clients.selectors import brand_guidelines_of

    guidelines = brand_guidelines_of(brand=composition.brand)
    avoid = list(guidelines.words_to_avoid or [])
    duplicates = duplicates_of(composition, policy_of(composition.brand).duplicate_window_hours)
    results = []
    for account in composition.accounts:
        network = account.network
        text = composition.overrides.get(account.pk) or composition.text
        own_media = composition.media_overrides.get(account.pk)
        content = build_content(
            network=network,
            text=text,
            link=composition.link,
            first_comment=composition.first_comment,
            media=own_media if own_media else composition.media,
            media_urls=[] if own_media else composition.media_urls,
            campaign=composition.campaign,
            options=composition.options.get(account.pk),
        )
        network_rules = rules.rules_for(network)
        sent_text = rules.composed_text(content, network_rules)
        check = AccountCheck(
            account=account,
            network=network,
            text=sent_text,
            length=network_rules.count(sent_text),
            max_length=network_rules.max_length,
        )
        for violation in rules.check_content(network, content, include_warnings=True):
            found = check.warnings if violation.severity == "warning" else check.errors
            found.append(rule_message(violation, network))
        for violation in check_options(
            options_of(network), content.options, account_choices=known_account_choices(account)
        ):
            check.errors.append(rule_message(violation, network))
        for word in words_to_avoid_found(f"{text}\n{composition.first_comment}", avoid):
            check.warnings.append(
                _("“%(word)s” is on the brand's list of words to avoid.") % {"word": word}
            )
        if account.pk in duplicates:
            # A network that refuses a post identical to a recent one (X, Facebook, LinkedIn:
            # networks.policy) would fail it at publishing time: an error there.
            refused = network_rules.duplicate_refused
            (check.errors if refused else check.warnings).append(
                (
                    _(
                        "%(network)s refuses a text identical to one planned or published on "
                        "this account within %(hours)s hours: change it."
                    )
                    if refused
                    else _(
                        "The same text is planned or published on this account within "
                        "%(hours)s hours."
                    )
                )
                % {
                    "hours": policy_of(composition.brand).duplicate_window_hours,
                    "network": display_name(network),
                }
            )
        results.append(check)
    return results


def composition_of(post) -> Composition:
    from campaigns.selectors.media import media_by_ids

    variants = list(post.variants.all())
    return Composition(
        brand=post.brand,
        text=post.text,
        link=post.link,
        first_comment=post.first_comment,
        media=media_by_ids(brand=post.brand, ids=post.media_ids),
        media_urls=list(post.media_urls),
        campaign=post.campaign,
        accounts=[variant.social_account for variant in variants],
        overrides={v.social_account_id: v.text_override for v in variants if v.text_override},
        media_overrides={
            v.social_account_id: media_by_ids(brand=post.brand, ids=v.media_override_ids)
            for v in variants
            if v.media_override_ids
        },
        options={v.social_account_id: v.network_options for v in variants if v.network_options},
        scheduled_at=post.scheduled_at,
        post_id=post.pk,
    )
