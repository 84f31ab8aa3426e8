"""Asking a network whether a publication is already there, for the publishing engine.

Used whenever a send's outcome is unknown (a 5xx, a timeout, a dropped connection, a worker that
died mid-call) and before any resend of such a send. Guarantees:

* Bounded by time: only a post created after the first unsettled send started (minus a small
  clock-skew margin) counts, so an earlier publication with the same text (a recurring post)
  is never taken for this one.
* Never an external id another variant of the same account already holds.
* Never raises: a network error, an unreadable answer (a 200 with an HTML body) or a bug of the
  adapter becomes an answer with a readable ``error``, which the caller records on the variant.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from campaigns.models import PostVariant
from core.network_errors import network_error_words
from networks import NetworkError, PublishResult

logger = logging.getLogger(__name__)

# Our clock and the network's may disagree a little; a post created a few seconds "before" our
# send started is still ours.
CLOCK_SKEW = dt.timedelta(seconds=60)
# Another variant can only hold the id of a post created after `since` if it was published
# after it; this window keeps the list of ids to refuse short on busy accounts.
KNOWN_IDS_WINDOW = dt.timedelta(days=2)


@dataclass(frozen=True)
class LookupAnswer:
    found: PublishResult | None = None
    error: str = ""  # not empty: the network could not be asked, or its answer not read


def ids_of_other_variants(variant: PostVariant, *, since: dt.datetime) -> set[str]:
    """External ids that other variants of this account hold (published near or after
    `since`): a lookup must never hand one of them to this variant."""
    return set(
        PostVariant.objects.filter(
            social_account_id=variant.social_account_id,
            published_at__gte=since - KNOWN_IDS_WINDOW,
        )
        .exclude(pk=variant.pk)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )


def unsettled_since(variant: PostVariant) -> dt.datetime | None:
    """When the first send that may have created this variant's post started."""
    return variant.unsettled_since or variant.call_started_at


def existing_post_lookup(
    *, adapter, creds, content, variant: PostVariant, since: dt.datetime | None
) -> LookupAnswer:
    """Ask the network whether `variant`'s post exists (see the module's guarantees)."""
    since = since or unsettled_since(variant)
    bound = since - CLOCK_SKEW if since else None
    try:
        exclude = ids_of_other_variants(variant, since=bound) if bound else set()
        found = adapter.find_existing_post(creds, content, since=bound, exclude_ids=exclude)
    except NetworkError as exc:
        return LookupAnswer(error=network_error_words(exc))
    except ValueError:  # JSONDecodeError among them: a 200 whose body is not what was asked
        logger.warning("unreadable lookup answer for variant %s", variant.pk, exc_info=True)
        return LookupAnswer(error=_("its answer could not be read"))
    except Exception as exc:  # a bug of ours or of the adapter: contained to this variant
        logger.exception("lookup failed for variant %s", variant.pk)
        return LookupAnswer(
            error=_("an unexpected error (%(error)s)") % {"error": exc.__class__.__name__}
        )
    if found is not None and (not found.external_id or found.external_id in exclude):
        found = None  # an adapter that ignored exclude_ids: never take another variant's post
    return LookupAnswer(found=found)
