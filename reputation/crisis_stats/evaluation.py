"""Evaluation: which causes fire for a brand's counted windows, given its baseline and rule."""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from reputation.crisis_stats.baseline import Baseline, SeriesBaseline
from reputation.crisis_stats.rules import Cause, RuleParams, Severity
from reputation.crisis_stats.tails import binom_sf, nb_sf, window_alpha


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
