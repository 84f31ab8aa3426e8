"""A crisis rule as numbers, the windows it looks at, causes and severities."""

from dataclasses import dataclass
from datetime import timedelta

SHORT_WINDOW = timedelta(hours=1)
LONG_WINDOW = timedelta(hours=24)
# The second window of a pair ends this long after the first (the evaluation cadence for the
# short window; a quarter of the long one).
SHORT_STEP = timedelta(minutes=15)
LONG_STEP = timedelta(hours=6)


class Cause:
    VOLUME = "volume"
    NEGATIVE_VOLUME = "negative_volume"
    NEGATIVE_SHARE = "negative_share"
    TRIGGER_WORDS = "trigger_words"
    HIGH_REACH = "high_reach"
    ALL = (VOLUME, NEGATIVE_VOLUME, NEGATIVE_SHARE, TRIGGER_WORDS, HIGH_REACH)


# Incidents group causes: a negative surge shows as a negative volume and a negative share
# together, and must be one incident, not two.
NEGATIVE = "negative"


def incident_cause(cause: str) -> str:
    """The incident a signal belongs to (one open incident per brand and incident cause)."""
    if cause in (Cause.NEGATIVE_VOLUME, Cause.NEGATIVE_SHARE):
        return NEGATIVE
    return cause


class Severity:
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"
    ORDER = {MEDIUM: 1, HIGH: 2, CRITICAL: 3}


@dataclass(frozen=True)
class RuleParams:
    """A brand's crisis rule, as numbers. CrisisRule stores these; defaults are measured."""

    volume_enabled: bool = True
    negative_volume_enabled: bool = True
    negative_share_enabled: bool = True
    trigger_words_enabled: bool = True
    high_reach_enabled: bool = True
    # Tail probability below which the latest window is anomalous, and the looser one that
    # the window just before must also reach (the anomaly holds over two windows).
    p_value: float = 1e-4
    confirm_p_value: float = 1e-2
    min_ratio: float = 2.0
    min_volume_short: int = 6  # negative mentions in the short window
    min_volume_long: int = 40  # negative mentions in the long window
    # All mentions: a surge of everything (not only negatives) needs a larger volume.
    volume_min_short: int = 30
    volume_min_long: int = 120
    # Negative share of the short window: above the floor, or the usual share plus the jump.
    share_floor: float = 0.6
    share_jump: float = 0.1
    share_min_volume: int = 20
    # Trigger words: this many negative mentions with one in the short window.
    trigger_min_mentions: int = 3
    extra_trigger_words: tuple[str, ...] = ()
    # A negative mention by an author with at least this many followers.
    high_reach_followers: int = 100_000
    # No new incident for the same brand and cause this long after one closed.
    cooldown: timedelta = timedelta(hours=6)
