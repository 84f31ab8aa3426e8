"""Crisis detection, the statistics: pure functions, no models, no database.

The services (reputation.crisis) count a brand's mentions in a few windows and call
``evaluate``; the simulator (reputation.crisis_sim) and the quality command call the very same
functions on synthetic streams. What the defaults achieve is measured and written down in
docs/performance.md ("Crisis detection").

The model, in short:

- **Baseline.** Expected mentions per hour = level x hour-of-day factor x day-of-week factor,
  estimated from the brand's history (four weeks by default) in the agency's time zone. This
  is an hour-of-week seasonality factorised into 24 + 7 factors, so that four weeks of a small
  brand give stable estimates (a free 168-cell table would have 4 samples per cell). Kept
  separately for all mentions and for negative ones.
- **Overdispersion.** Hourly counts are negative binomial with variance mu + alpha * mu^2;
  alpha is estimated per brand and per series by the method of moments on the history's
  residuals; when the variance does not exceed the mean, alpha = 0 (Poisson).
- **Windows.** A short window (1 hour) and a long one (24 hours). A window is anomalous when
  its count is at least ``min_ratio`` times the expected count, at least the rule's minimum
  volume, and its negative-binomial upper tail probability is below ``p_value``. The anomaly
  must hold over **two consecutive windows**, the second starting half a window after the
  first (evaluated every 30 minutes for the short window), so that one unlucky slot is not
  an incident.
- **Other causes.** The negative share of the short window above a floor, or jumping well
  above the brand's usual share; trigger words (fr, en, ar, Darija in both scripts) in
  negative mentions; a negative mention by an author with a large audience.
"""

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

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


# --- Rules ------------------------------------------------------------------------------------


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


# --- Baseline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesBaseline:
    level: float  # mean per hour over the history
    hour_factors: tuple[float, ...]  # 24, mean 1
    weekday_factors: tuple[float, ...]  # 7 (Monday = 0), mean 1
    alpha: float  # NB dispersion; 0 = Poisson

    def expected_per_hour(self, local: datetime) -> float:
        return self.level * self.hour_factors[local.hour] * self.weekday_factors[local.weekday()]

    def expected(self, start: datetime, end: datetime) -> float:
        """Expected count between two local times (partial hours pro rata)."""
        total, cursor = 0.0, start
        while cursor < end:
            hour_end = cursor.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            step_end = min(hour_end, end)
            total += self.expected_per_hour(cursor) * (step_end - cursor) / timedelta(hours=1)
            cursor = step_end
        return total


@dataclass(frozen=True)
class Baseline:
    volume: SeriesBaseline
    negative: SeriesBaseline
    negative_share: float
    hours: int  # hours of history behind it

    def as_dict(self) -> dict:
        return asdict(self)


def _factors(sums: Sequence[float], counts: Sequence[int], overall: float, shrink: float):
    """Mean per cell / overall mean, shrunk towards 1 by `shrink` pseudo-hours at the mean."""
    if overall <= 0:
        return tuple(1.0 for _ in sums)
    raw = [
        (s + shrink * overall) / ((n + shrink) * overall) for s, n in zip(sums, counts, strict=True)
    ]
    mean = sum(raw) / len(raw)
    return tuple(r / mean for r in raw)


def dispersion_mom(counts: Sequence[float], means: Sequence[float]) -> float:
    """Method-of-moments NB dispersion: Var = mu + alpha mu^2 => alpha = sum((c-mu)^2 - mu) /
    sum(mu^2). 0 (Poisson) when the counts are not overdispersed."""
    num = sum((c - m) ** 2 - m for c, m in zip(counts, means, strict=True))
    den = sum(m * m for m in means)
    if den <= 0 or num <= 0:
        return 0.0
    return num / den


def _series_baseline(hours: Sequence[datetime], counts: Sequence[int]) -> SeriesBaseline:
    n = len(counts)
    overall = sum(counts) / n if n else 0.0
    hod_sums, hod_n = [0.0] * 24, [0] * 24
    dow_sums, dow_n = [0.0] * 7, [0] * 7
    for when, count in zip(hours, counts, strict=True):
        hod_sums[when.hour] += count
        hod_n[when.hour] += 1
        dow_sums[when.weekday()] += count
        dow_n[when.weekday()] += 1
    # A little shrinkage towards flat, for brands with few mentions; more would flatten the
    # evening peak and raise false alarms there.
    hod = _factors(hod_sums, hod_n, overall, shrink=1)
    dow = _factors(dow_sums, dow_n, overall, shrink=2)
    means = [overall * hod[w.hour] * dow[w.weekday()] for w in hours]
    alpha = dispersion_mom(counts, means) if n else 0.0
    return SeriesBaseline(level=overall, hour_factors=hod, weekday_factors=dow, alpha=alpha)


def baseline_from_history(history: Iterable[tuple[datetime, int, int]]) -> Baseline:
    """The baseline from hourly (local hour start, volume, negative) rows. Hours missing from
    `history` between its first and last rows count as zero mentions."""
    rows = sorted(history)
    if not rows:
        empty = SeriesBaseline(0.0, (1.0,) * 24, (1.0,) * 7, 0.0)
        return Baseline(volume=empty, negative=empty, negative_share=0.0, hours=0)
    by_hour = {when: (volume, negative) for when, volume, negative in rows}
    hours, cursor = [], rows[0][0]
    while cursor <= rows[-1][0]:
        hours.append(cursor)
        cursor += timedelta(hours=1)
    volumes = [by_hour.get(h, (0, 0))[0] for h in hours]
    negatives = [by_hour.get(h, (0, 0))[1] for h in hours]
    total = sum(volumes)
    return Baseline(
        volume=_series_baseline(hours, volumes),
        negative=_series_baseline(hours, negatives),
        negative_share=(sum(negatives) / total) if total else 0.0,
        hours=len(hours),
    )


# --- Tail probabilities -----------------------------------------------------------------------


def poisson_sf(x: int, mean: float) -> float:
    """P(X >= x) for X ~ Poisson(mean)."""
    return nb_sf(x, mean, 0.0)


def nb_sf(x: int, mean: float, alpha: float) -> float:
    """P(X >= x) for X negative binomial with the given mean and Var = mean + alpha mean^2
    (alpha = 0: Poisson). Summed over the upper tail from the pmf at x, in log space, so that
    tiny probabilities stay accurate."""
    if x <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if alpha <= 1e-9:
        log_pmf = -mean + x * math.log(mean) - math.lgamma(x + 1)

        def ratio(k):
            return mean / (k + 1)
    else:
        r = 1.0 / alpha
        p = r / (r + mean)  # success probability
        log_pmf = (
            math.lgamma(x + r)
            - math.lgamma(r)
            - math.lgamma(x + 1)
            + r * math.log(p)
            + x * math.log1p(-p)
        )

        def ratio(k):
            return (k + r) / (k + 1) * (1 - p)

    if x < mean:
        # Below the mean the upper tail is most of the mass: sum the few terms under x.
        if alpha <= 1e-9:
            below, term = 0.0, math.exp(-mean)
        else:
            below, term = 0.0, math.exp(r * math.log(p))
        for k in range(x):
            below += term
            term *= ratio(k)
        return min(max(1.0 - below, 0.0), 1.0)
    term = math.exp(log_pmf)
    if term == 0.0:
        # Far in the tail: the first term dominates; report the underflow honestly as 0.
        return 0.0
    total, k = 0.0, x
    while True:
        total += term
        term *= ratio(k)
        k += 1
        if term < total * 1e-12 or k > x + 100_000:
            break
    return min(total, 1.0)


def binom_sf(x: int, n: int, p: float) -> float:
    """P(X >= x) for X ~ Binomial(n, p), summed over the upper tail in log space."""
    if x <= 0:
        return 1.0
    if x > n or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    log_pmf = (
        math.lgamma(n + 1)
        - math.lgamma(x + 1)
        - math.lgamma(n - x + 1)
        + x * math.log(p)
        + (n - x) * math.log1p(-p)
    )
    term, total, k = math.exp(log_pmf), 0.0, x
    while k <= n and term > 0:
        total += term
        term *= (n - k) / (k + 1) * p / (1 - p)
        k += 1
        if term < total * 1e-12:
            break
    return min(total, 1.0)


def window_alpha(alpha_hourly: float, hourly_means: Sequence[float]) -> float:
    """Dispersion of a sum of independent NB hours with a common alpha: Var(sum) = M +
    alpha * sum(mu^2), so the sum's own alpha is alpha * sum(mu^2) / M^2."""
    total = sum(hourly_means)
    if total <= 0:
        return alpha_hourly
    return alpha_hourly * sum(m * m for m in hourly_means) / (total * total)


# --- Trigger words ----------------------------------------------------------------------------

# Folded forms (casefold, no accents, Arabic letter variants unified: see reputation.text.fold).
TRIGGER_WORDS: tuple[str, ...] = (
    # French
    "boycott",
    "boycotter",
    "boycottez",
    "scandale",
    "scandaleux",
    "arnaque",
    "arnaqueur",
    "escroc",
    "escroquerie",
    "honte",
    "intoxication",
    "rappel produit",
    "plainte",
    "mensonge",
    # English
    "scandal",
    "scam",
    "fraud",
    "lawsuit",
    "recall",
    "food poisoning",
    "shame on",
    # Arabic (folded: ة -> ه, أ -> ا)
    "فضيحه",
    "مقاطعه",
    "قاطعوا",
    "نصب",
    "احتيال",
    "تسمم",
    "عار",
    # Darija in Arabic script
    "شفارة",
    "شفارين",
    "حشومة",
    # Darija in Latin script (Arabizi digits)
    "fdi7a",
    "fdiha",
    "n9ata3",
    "nqat3",
    "9ate3",
    "9at3o",
    "chfara",
    "chfarin",
    "7chouma",
    "hchouma",
)


def _fold(text: str) -> str:
    from reputation.text import fold

    return fold(text)


def trigger_words_pattern(extra: Sequence[str] = ()) -> re.Pattern:
    words = sorted({_fold(w) for w in (*TRIGGER_WORDS, *extra) if w.strip()}, key=len, reverse=True)
    # Word boundaries that work for Arabic and Arabizi digits too: no letter or digit around.
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])")


def trigger_words_in(text: str, pattern: re.Pattern | None = None) -> list[str]:
    """The trigger words found in `text` (folded forms), in order, without repeats."""
    found = (pattern or trigger_words_pattern()).findall(_fold(text))
    return list(dict.fromkeys(found))


# --- Evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowCounts:
    """What the caller counted in one window of local time [start, end)."""

    start: datetime
    end: datetime
    volume: int
    negative: int
    trigger_negative: int = 0  # negative mentions with a trigger word
    trigger_words: tuple[str, ...] = ()
    max_negative_followers: int = 0  # the largest audience of a negative mention's author
    high_reach_mention_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Observation:
    """The two consecutive short windows and the two consecutive long windows, latest last."""

    short_prev: WindowCounts
    short_now: WindowCounts
    long_prev: WindowCounts | None = None
    long_now: WindowCounts | None = None


@dataclass
class Signal:
    cause: str
    severity: str
    stats: dict = field(default_factory=dict)


def _test(
    observed: int,
    window: WindowCounts,
    series: SeriesBaseline,
    *,
    min_volume: int,
    params,
    threshold: float,
) -> dict | None:
    hourly = []
    cursor = window.start
    while cursor < window.end:
        step_end = min(cursor + timedelta(hours=1), window.end)
        hourly.append(series.expected(cursor, step_end))
        cursor = step_end
    expected = sum(hourly)
    alpha = window_alpha(series.alpha, hourly)
    ratio = observed / expected if expected > 0 else math.inf
    # The tail probability matters only past the cheap checks (and is the costly part).
    plausible = observed >= min_volume and ratio >= params.min_ratio
    p = nb_sf(observed, expected, alpha) if plausible else None
    anomalous = plausible and p < threshold
    return {
        "observed": observed,
        "expected": round(expected, 3),
        "ratio": round(ratio, 2) if math.isfinite(ratio) else None,
        "p_value": p,
        "alpha": round(alpha, 4),
        "anomalous": anomalous,
    }


def _severity_for_ratio(ratio: float | None) -> str:
    if ratio is None or ratio >= 8:
        return Severity.CRITICAL
    if ratio >= 4:
        return Severity.HIGH
    return Severity.MEDIUM


def _pair(
    prev: WindowCounts, now: WindowCounts, series, attr: str, *, min_volume: int, params
) -> dict | None:
    first = _test(
        getattr(prev, attr),
        prev,
        series,
        min_volume=min_volume,
        params=params,
        threshold=params.confirm_p_value,
    )
    second = _test(
        getattr(now, attr),
        now,
        series,
        min_volume=min_volume,
        params=params,
        threshold=params.p_value,
    )
    if first["anomalous"] and second["anomalous"]:
        return {"previous": first, "current": second}
    return None


def _share_test(
    window: WindowCounts, baseline: Baseline, params: RuleParams, threshold: float
) -> dict:
    """Is the window's negative share above the floor, or sharply above the brand's usual
    share? "Sharply" is measured: a binomial tail of the negatives given the volume, so that
    a share computed from a handful of mentions does not count as a jump."""
    usual = baseline.negative_share
    share = window.negative / window.volume if window.volume else 0.0
    p = binom_sf(window.negative, window.volume, usual) if share > usual else 1.0
    enough = window.negative >= params.min_volume_short and window.volume >= params.share_min_volume
    floor = share >= params.share_floor
    jump = share >= usual + params.share_jump and p < threshold
    return {
        "share": round(share, 3),
        "usual_share": round(usual, 3),
        "negative": window.negative,
        "volume": window.volume,
        "p_value": p,
        "anomalous": enough and (floor or jump),
    }


def _share_pair(prev, now, baseline, params) -> dict | None:
    first = _share_test(prev, baseline, params, params.confirm_p_value)
    second = _share_test(now, baseline, params, params.p_value)
    if first["anomalous"] and second["anomalous"]:
        return {"previous": first, "current": second, "window": "short"}
    return None


def evaluate(params: RuleParams, baseline: Baseline, obs: Observation) -> list[Signal]:
    """Every cause whose condition holds now, with its severity and the statistics behind it.

    Pure: the caller decides what to do with the signals (open or update an incident, respect
    the cooldown).
    """
    signals: list[Signal] = []
    checks = []
    if params.negative_volume_enabled:
        checks.append(
            (
                Cause.NEGATIVE_VOLUME,
                "negative",
                baseline.negative,
                params.min_volume_short,
                params.min_volume_long,
            )
        )
    if params.volume_enabled:
        checks.append(
            (
                Cause.VOLUME,
                "volume",
                baseline.volume,
                params.volume_min_short,
                params.volume_min_long,
            )
        )
    for cause, attr, series, min_short, min_long in checks:
        found = _pair(
            obs.short_prev,
            obs.short_now,
            series,
            attr,
            min_volume=min_short,
            params=params,
        )
        window = "short"
        if found is None and obs.long_prev is not None and obs.long_now is not None:
            found = _pair(
                obs.long_prev,
                obs.long_now,
                series,
                attr,
                min_volume=min_long,
                params=params,
            )
            window = "long"
        if found is not None:
            found["window"] = window
            signals.append(Signal(cause, _severity_for_ratio(found["current"]["ratio"]), found))

    if params.negative_share_enabled:
        found = _share_pair(obs.short_prev, obs.short_now, baseline, params)
        if found is not None:
            share = found["current"]["share"]
            signals.append(
                Signal(
                    Cause.NEGATIVE_SHARE,
                    Severity.HIGH if share >= 0.6 else Severity.MEDIUM,
                    found,
                )
            )

    if params.trigger_words_enabled:
        now = obs.short_now
        if now.trigger_negative >= params.trigger_min_mentions:
            signals.append(
                Signal(
                    Cause.TRIGGER_WORDS,
                    Severity.HIGH
                    if now.trigger_negative >= 3 * params.trigger_min_mentions
                    else Severity.MEDIUM,
                    {"mentions": now.trigger_negative, "words": list(now.trigger_words)},
                )
            )

    if params.high_reach_enabled:
        now = obs.short_now
        if now.max_negative_followers >= params.high_reach_followers:
            signals.append(
                Signal(
                    Cause.HIGH_REACH,
                    Severity.CRITICAL
                    if now.max_negative_followers >= 10 * params.high_reach_followers
                    else Severity.HIGH,
                    {
                        "followers": now.max_negative_followers,
                        "mention_ids": list(now.high_reach_mention_ids),
                    },
                )
            )
    return signals


def back_to_baseline(params: RuleParams, baseline: Baseline, window: WindowCounts) -> bool:
    """True when the last short window looks normal again: a resolve suggestion."""
    expected = baseline.negative.expected(window.start, window.end)
    share = window.negative / window.volume if window.volume else 0.0
    return window.negative <= max(1.5 * expected, params.min_volume_short / 2) and share < max(
        params.share_floor, baseline.negative_share + params.share_jump
    )
