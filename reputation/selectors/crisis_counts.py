"""What crisis evaluation counts: a brand's hourly baseline, and its mentions in a window."""

from datetime import datetime, timedelta

from django.utils import timezone

from reputation.crisis_stats import rules as crisis_rules
from reputation.crisis_stats.baseline import Baseline, baseline_from_history
from reputation.crisis_stats.evaluation import WindowCounts
from reputation.crisis_stats.triggers import trigger_words_in
from reputation.models.mentions import Mention, MentionRollup

HISTORY = timedelta(days=28)
# The last day is left out of the baseline, so that a crisis does not raise its own bar.
HISTORY_GAP = timedelta(days=1)
MIN_HISTORY_HOURS = 7 * 24


def _naive_local(moment: datetime, tz) -> datetime:
    return timezone.localtime(moment, tz).replace(tzinfo=None)


def brand_baseline(*, brand, now: datetime, tz) -> Baseline:
    """Baseline from the brand's own hourly rollups (the brand's voice, not competitors')."""
    rows = MentionRollup.objects.filter(
        brand=brand,
        voice="",
        hour__gte=now - HISTORY - HISTORY_GAP,
        hour__lt=now - HISTORY_GAP,
    ).values_list("hour", "volume", "negative")
    return baseline_from_history(
        (_naive_local(hour, tz), volume, negative) for hour, volume, negative in rows
    )


def brand_window(brand, start, end, tz, *, pattern, params) -> tuple[WindowCounts, list, dict]:
    """The brand's own mentions published in [start, end): the window's counts, the ids of its
    negative mentions, and the ids behind the trigger-word and high-reach causes."""
    rows = list(
        Mention.objects.filter(
            brand=brand,
            voice="",
            published_at__gte=start,
            published_at__lt=end,
        ).values_list("pk", "sentiment_label", "title", "text", "author__followers")
    )
    negatives = [row for row in rows if row[1] == "negative"]
    trigger_ids, words = [], []
    for pk, _label, title, text, _followers in negatives:
        found = trigger_words_in(f"{title} {text}", pattern)
        if found:
            trigger_ids.append(pk)
            words.extend(found)
    followers = [(row[4] or 0, row[0]) for row in negatives]
    high = [pk for count, pk in followers if count >= params.high_reach_followers]
    counts = WindowCounts(
        start=_naive_local(start, tz),
        end=_naive_local(end, tz),
        volume=len(rows),
        negative=len(negatives),
        trigger_negative=len(trigger_ids),
        trigger_words=tuple(dict.fromkeys(words)),
        max_negative_followers=max((count for count, _ in followers), default=0),
        high_reach_mention_ids=tuple(high),
    )
    linked = {
        crisis_rules.Cause.TRIGGER_WORDS: trigger_ids,
        crisis_rules.Cause.HIGH_REACH: high,
    }
    return counts, [row[0] for row in negatives], linked
