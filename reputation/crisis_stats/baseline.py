"""The expected mentions per hour of a brand, from its history (see the package docstring)."""

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta


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
