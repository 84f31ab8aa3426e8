"""What a post becomes on each network, and everything wrong with it before it is sent.

`check_composition()` is the single check used by the composer's live preview, by submission,
by scheduling and rescheduling (calendar drag and drop), and by the CSV import: errors (the
network's content rules) block; warnings (words to avoid, a recent duplicate) are shown.
`variant_content()` is what the publishing engine sends.
"""

from __future__ import annotations

import math
import mimetypes
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, MediaAsset, PostState, PostVariant
from networks import rules
from networks.base import MediaItem, PostContent
from networks.base import MediaKind as NetworkMediaKind
from networks.registry import display_name
from networks.text import find_urls

# The networks' rule codes, in words people read (networks.rules gives English only).
RULE_MESSAGES = {
    "text_required": gettext_lazy("%(network)s needs text, a link or media."),
    "text_too_long": gettext_lazy(
        "%(network)s allows %(max_length)s characters; this text counts %(length)s."
    ),
    "text_too_many_bytes": gettext_lazy(
        "%(network)s allows %(max_bytes)s bytes of text; this text takes %(size)s (emoji and "
        "non-Latin letters take several bytes each)."
    ),
    "too_many_hashtags": gettext_lazy(
        "%(network)s allows %(max_hashtags)s hashtags; this text has %(count)s."
    ),
    "media_required": gettext_lazy("%(network)s posts need at least one image or video."),
    "too_many_media": gettext_lazy(
        "%(network)s allows %(max_media)s media per post; this post has %(count)s."
    ),
    "video_must_be_alone": gettext_lazy(
        "On %(network)s a video or GIF cannot be combined with other media."
    ),
    "too_many_videos": gettext_lazy("%(network)s allows %(max_videos)s video(s) per post."),
    "media_kind_not_allowed": gettext_lazy("%(network)s does not accept %(kind)s media."),
    "media_type_not_allowed": gettext_lazy(
        "%(network)s does not accept files of type %(mime_type)s."
    ),
    "media_too_large": gettext_lazy(
        "%(network)s accepts files up to %(max_bytes)s bytes; this one has %(size)s."
    ),
    "alt_text_too_long": gettext_lazy("%(network)s allows %(max_length)s characters of alt text."),
    "thread_not_supported": gettext_lazy("%(network)s does not support threads."),
    "thread_item_empty": gettext_lazy("A thread post is empty."),
    "first_comment_not_supported": gettext_lazy("%(network)s does not support a first comment."),
}


def rule_message(violation: rules.RuleViolation, network: str) -> str:
    template = RULE_MESSAGES.get(violation.code)
    if template is None:
        return violation.message
    params = {k: v for k, v in violation.params.items() if not isinstance(v, list | dict)}
    params["network"] = display_name(network)
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return violation.message


# --- UTM ---------------------------------------------------------------------------------------


# --- Draft size ------------------------------------------------------------------------------

# The longest text any network takes (Facebook: 63,206 characters) with a margin for a draft
# that is still being cut down. Anything longer can never be published; refusing it at input
# keeps megabyte drafts out of the database, the previews and every rule check.
DRAFT_MARGIN = 1.1
MAX_DRAFT_CHARS = math.ceil(max(r.max_length for r in rules.RULES.values()) * DRAFT_MARGIN)
MAX_FIRST_COMMENT_CHARS = 10_000


def check_draft_size(
    *, text: str = "", first_comment: str = "", overrides: dict | None = None
) -> None:
    """Refuse a draft no network could take: a ValidationError naming each field too long.

    Used by the composer form, the API serializers and the post services (so the CSV import
    and every other caller too).
    """
    errors: dict[str, list[str]] = {}

    def too_long(name: str, value: str, limit: int) -> None:
        if value and len(value) > limit:
            errors.setdefault(name, []).append(
                _("At most %(max)s characters; this text has %(length)s.")
                % {"max": f"{limit:,}", "length": f"{len(value):,}"}
            )

    too_long("text", text or "", MAX_DRAFT_CHARS)
    too_long("first_comment", first_comment or "", MAX_FIRST_COMMENT_CHARS)
    for value in (overrides or {}).values():
        too_long("overrides", value or "", MAX_DRAFT_CHARS)
    if errors:
        raise ValidationError(errors)


def utm_params(campaign: Campaign | None, network: str) -> dict[str, str]:
    if campaign is None or not campaign.utm_enabled:
        return {}
    values = {
        "utm_source": campaign.utm_source.replace("{network}", network),
        "utm_medium": campaign.utm_medium.replace("{network}", network),
        "utm_campaign": campaign.utm_campaign
        or slugify(campaign.name)
        or f"campaign-{campaign.pk}",
    }
    return {k: v for k, v in values.items() if v}


def add_utm(url: str, params: dict[str, str]) -> str:
    """The URL with the parameters added; parameters the URL already has are kept as they are."""
    if not params or not url:
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _value in query}
    query += [(k, v) for k, v in params.items() if k not in present]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _add_utm_in_text(text: str, params: dict[str, str]) -> str:
    if not params:
        return text
    spans = find_urls(text, schemeless=False)
    for start, end in reversed(spans):
        text = text[:start] + add_utm(text[start:end], params) + text[end:]
    return text


# --- Media -------------------------------------------------------------------------------------


def media_item(asset: MediaAsset) -> MediaItem:
    return MediaItem(
        kind=NetworkMediaKind(asset.kind),
        mime_type=asset.mime_type,
        size=asset.size,
        path=asset.file.path if _has_path(asset) else None,
        url=None,
        width=asset.width,
        height=asset.height,
        alt_text=asset.alt_text,
    )


def _has_path(asset: MediaAsset) -> bool:
    try:
        asset.file.path  # noqa: B018 - storage without local paths raises
    except (NotImplementedError, ValueError):
        return False
    return True


def media_item_from_url(url: str) -> MediaItem:
    mime = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    if mime == "image/gif":
        kind = NetworkMediaKind.GIF
    elif mime.startswith("video/"):
        kind = NetworkMediaKind.VIDEO
    else:
        kind = NetworkMediaKind.IMAGE
    return MediaItem(kind=kind, mime_type=mime, url=url)


# --- Composition -------------------------------------------------------------------------------


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
) -> PostContent:
    params = utm_params(campaign, network)
    return PostContent(
        text=_add_utm_in_text(text, params),
        link=add_utm(link, params),
        media=[media_item(asset) for asset in media] + [media_item_from_url(u) for u in media_urls],
        first_comment=first_comment,
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
        for violation in rules.check_content(network, content):
            check.errors.append(rule_message(violation, network))
        for word in words_to_avoid_found(f"{text}\n{composition.first_comment}", avoid):
            check.warnings.append(
                _("“%(word)s” is on the brand's list of words to avoid.") % {"word": word}
            )
        if account.pk in duplicates:
            check.warnings.append(
                _("The same text is planned or published on this account within %(hours)s hours.")
                % {"hours": policy_of(composition.brand).duplicate_window_hours}
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
        scheduled_at=post.scheduled_at,
        post_id=post.pk,
    )
