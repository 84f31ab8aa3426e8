"""A simulator of brand mention streams, to measure crisis detection (``manage.py
crisis_quality``) with the very functions the product runs (reputation.crisis_stats).

Streams are negative binomial (a gamma-distributed hourly rate, then Poisson counts), with a
daily and a weekly seasonality, 15 % negative mentions, in 15-minute slots. Each brand-week
has four weeks of history for its baseline, then one evaluated week, evaluated every 15
minutes as the periodic task would. Bursts are injected as extra negative mentions for two
hours: a "4x burst" multiplies the negative rate by four (extra = 3 x the usual negative
rate).
"""

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from reputation.crisis_stats.baseline import Baseline, baseline_from_history
from reputation.crisis_stats.evaluation import Observation, WindowCounts, back_to_baseline, evaluate
from reputation.crisis_stats.rules import SHORT_STEP, SHORT_WINDOW, RuleParams, incident_cause

SLOT = timedelta(minutes=15)
SLOTS_PER_HOUR = 4
HISTORY_WEEKS = 4
WEEK_HOURS = 168
NEGATIVE_SHARE = 0.15
WEEKDAY = (1.08, 1.05, 1.0, 1.0, 1.04, 0.83, 1.0)  # Monday first; Saturday quieter
START = datetime(2026, 1, 5)  # a Monday, local time


def daily(hour: int) -> float:
    """Evenings busy, nights quiet: 0.4 at 7:00 up to 1.6 at 19:00."""
    return 1 + 0.6 * math.cos(2 * math.pi * (hour - 19) / 24)


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method in chunks of at most 20, so that large rates do not underflow."""
    total = 0
    while lam > 0:
        chunk = min(lam, 20.0)
        lam -= chunk
        limit, k, product = math.exp(-chunk), 0, rng.random()
        while product > limit:
            k += 1
            product *= rng.random()
        total += k
    return total


@dataclass
class Stream:
    """Slot counts (volume, negative) from START, 15 minutes each."""

    volume: list[int] = field(default_factory=list)
    negative: list[int] = field(default_factory=list)

    def hourly(self, first_slot: int, last_slot: int):
        rows = []
        for slot in range(first_slot, last_slot, SLOTS_PER_HOUR):
            when = START + slot * SLOT
            rows.append(
                (
                    when,
                    sum(self.volume[slot : slot + SLOTS_PER_HOUR]),
                    sum(self.negative[slot : slot + SLOTS_PER_HOUR]),
                )
            )
        return rows

    def window(self, end_slot: int, length: timedelta) -> WindowCounts:
        slots = int(length / SLOT)
        start_slot = max(end_slot - slots, 0)
        return WindowCounts(
            start=START + start_slot * SLOT,
            end=START + end_slot * SLOT,
            volume=sum(self.volume[start_slot:end_slot]),
            negative=sum(self.negative[start_slot:end_slot]),
        )


def simulate_stream(rng: random.Random, *, per_hour: float, alpha: float, weeks: int) -> Stream:
    stream = Stream()
    for hour in range(weeks * WEEK_HOURS):
        when = START + timedelta(hours=hour)
        mean = per_hour * daily(when.hour) * WEEKDAY[when.weekday()]
        # The hour's rate is gamma-distributed (overdispersion), shared by its four slots.
        rate = rng.gammavariate(1 / alpha, alpha * mean) if alpha > 0 else mean
        for _ in range(SLOTS_PER_HOUR):
            negative = poisson(rng, rate * NEGATIVE_SHARE / SLOTS_PER_HOUR)
            other = poisson(rng, rate * (1 - NEGATIVE_SHARE) / SLOTS_PER_HOUR)
            stream.volume.append(negative + other)
            stream.negative.append(negative)
    return stream


def inject_burst(
    rng: random.Random, stream: Stream, *, start_slot: int, hours: float, factor: float, per_hour
):
    """Multiply the negative rate by `factor` for `hours` from `start_slot`."""
    for slot in range(start_slot, start_slot + int(hours * SLOTS_PER_HOUR)):
        when = START + slot * SLOT
        usual = per_hour * daily(when.hour) * WEEKDAY[when.weekday()] * NEGATIVE_SHARE
        extra = poisson(rng, (factor - 1) * usual / SLOTS_PER_HOUR)
        stream.volume[slot] += extra
        stream.negative[slot] += extra


@dataclass
class WeekResult:
    incidents: list[tuple[int, str]]  # (slot opened, cause)
    burst_start: int | None = None

    def detection_delay(self, within: timedelta) -> timedelta | None:
        """Delay from burst start to the first incident opened within `within`, if any."""
        if self.burst_start is None:
            return None
        for slot, _cause in self.incidents:
            delay = (slot - self.burst_start) * SLOT
            if timedelta(0) <= delay <= within:
                return delay
        return None


def run_week(stream: Stream, params: RuleParams, baseline: Baseline, first_slot: int):
    """Evaluate one week every 15 minutes; open / close incidents per cause as the service
    does (one open incident per cause; closed after two calm hours; cooldown after)."""
    open_since: dict[str, int] = {}
    calm_since: dict[str, int] = {}
    closed_at: dict[str, int] = {}
    opened: list[tuple[int, str]] = []
    short_slots = int(SHORT_WINDOW / SLOT)
    step = int(SHORT_STEP / SLOT)
    for end in range(first_slot + short_slots, first_slot + WEEK_HOURS * SLOTS_PER_HOUR + 1):
        obs = Observation(
            short_prev=stream.window(end - step, SHORT_WINDOW),
            short_now=stream.window(end, SHORT_WINDOW),
        )
        causes = {incident_cause(signal.cause) for signal in evaluate(params, baseline, obs)}
        for cause in causes:
            calm_since.pop(cause, None)
            if cause in open_since:
                continue
            last = closed_at.get(cause)
            if last is not None and (end - last) * SLOT < params.cooldown:
                continue
            open_since[cause] = end
            opened.append((end, cause))
        calm = back_to_baseline(params, baseline, obs.short_now)
        for cause in list(open_since):
            if cause in causes or not calm:
                calm_since.pop(cause, None)
                continue
            calm_since.setdefault(cause, end)
            if (end - calm_since[cause]) * SLOT >= timedelta(hours=2):
                del open_since[cause]
                closed_at[cause] = end
    return opened


def brand_week(
    seed: int,
    *,
    per_hour: float,
    alpha: float,
    params: RuleParams,
    burst_factor: float | None = None,
    burst_hours: float = 2.0,
) -> WeekResult:
    rng = random.Random(seed)  # noqa: S311 - a simulation, reproducible by seed
    stream = simulate_stream(rng, per_hour=per_hour, alpha=alpha, weeks=HISTORY_WEEKS + 1)
    first_slot = HISTORY_WEEKS * WEEK_HOURS * SLOTS_PER_HOUR
    baseline = baseline_from_history(stream.hourly(0, first_slot))
    burst_start = None
    if burst_factor is not None:
        # Anywhere in the week, leaving room for the burst to end.
        latest = WEEK_HOURS * SLOTS_PER_HOUR - int(burst_hours * SLOTS_PER_HOUR) - 8
        burst_start = first_slot + rng.randrange(8, latest)
        inject_burst(
            rng,
            stream,
            start_slot=burst_start,
            hours=burst_hours,
            factor=burst_factor,
            per_hour=per_hour,
        )
    return WeekResult(run_week(stream, params, baseline, first_slot), burst_start)


@dataclass
class Quality:
    per_hour: float
    weeks: int
    false_incidents: int
    bursts: int
    detected_1h: int
    detected_2h: int
    delays_minutes: list[float]

    @property
    def false_per_brand_week(self) -> float:
        return self.false_incidents / self.weeks

    @property
    def detection_share(self) -> float:
        return self.detected_1h / self.bursts if self.bursts else 0.0


def measure(
    *,
    per_hour: float,
    alpha: float,
    weeks: int,
    bursts: int,
    params: RuleParams | None = None,
    burst_factor: float = 4.0,
    seed: int = 1,
) -> Quality:
    params = params or RuleParams()
    false = sum(
        len(brand_week(seed * 100_003 + i, per_hour=per_hour, alpha=alpha, params=params).incidents)
        for i in range(weeks)
    )
    detected_1h = detected_2h = 0
    delays = []
    for i in range(bursts):
        result = brand_week(
            seed * 200_003 + i,
            per_hour=per_hour,
            alpha=alpha,
            params=params,
            burst_factor=burst_factor,
        )
        delay = result.detection_delay(timedelta(hours=1))
        if delay is not None:
            detected_1h += 1
            delays.append(delay.total_seconds() / 60)
        if result.detection_delay(timedelta(hours=2)) is not None:
            detected_2h += 1
    return Quality(per_hour, weeks, false, bursts, detected_1h, detected_2h, delays)
