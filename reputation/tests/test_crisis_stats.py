"""Crisis detection statistics (pure functions) and the simulator they are measured with."""

import math
import random
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reputation import crisis_sim
from reputation.crisis_stats.baseline import baseline_from_history, dispersion_mom
from reputation.crisis_stats.evaluation import Observation, WindowCounts, evaluate
from reputation.crisis_stats.rules import Cause, RuleParams
from reputation.crisis_stats.tails import binom_sf, nb_sf, poisson_sf
from reputation.crisis_stats.triggers import trigger_words_in


def _poisson_sf_by_sum(x, mean):
    return 1 - sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(x))


@pytest.mark.parametrize(("x", "mean"), [(1, 0.5), (5, 2.0), (20, 7.5), (40, 30.0)])
def test_poisson_tail_matches_the_textbook_sum(x, mean):
    assert poisson_sf(x, mean) == pytest.approx(_poisson_sf_by_sum(x, mean), rel=1e-9)


def test_negative_binomial_tail_matches_a_direct_sum_and_is_heavier_than_poisson():
    mean, alpha, x = 7.5, 0.2, 20
    r = 1 / alpha
    p = r / (r + mean)

    def pmf(k):
        return math.exp(
            math.lgamma(k + r)
            - math.lgamma(r)
            - math.lgamma(k + 1)
            + r * math.log(p)
            + k * math.log(1 - p)
        )

    direct = 1 - sum(pmf(k) for k in range(x))
    assert nb_sf(x, mean, alpha) == pytest.approx(direct, rel=1e-9)
    assert nb_sf(x, mean, alpha) > 10 * poisson_sf(x, mean)


@given(
    x=st.integers(min_value=0, max_value=200),
    mean=st.floats(min_value=0.01, max_value=100),
    alpha=st.floats(min_value=0, max_value=2),
)
@settings(max_examples=200, deadline=None)
def test_tail_probabilities_are_probabilities_and_decrease(x, mean, alpha):
    here, next_ = nb_sf(x, mean, alpha), nb_sf(x + 1, mean, alpha)
    assert 0 <= next_ <= here <= 1


def test_binomial_tail_matches_a_direct_sum():
    n, p, x = 40, 0.15, 12
    direct = sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(x, n + 1))
    assert binom_sf(x, n, p) == pytest.approx(direct, rel=1e-9)


def test_dispersion_is_estimated_by_moments_and_poisson_when_not_overdispersed():
    rng = random.Random(4)
    means = [20.0] * 4000
    counts = [crisis_sim.poisson(rng, rng.gammavariate(1 / 0.3, 0.3 * 20)) for _ in means]
    assert dispersion_mom(counts, means) == pytest.approx(0.3, abs=0.05)
    flat = [crisis_sim.poisson(rng, 20) for _ in means]
    assert dispersion_mom(flat, means) < 0.02
    assert dispersion_mom([20] * 100, [20.0] * 100) == 0.0  # under-dispersed: Poisson


def test_baseline_learns_daily_and_weekly_seasonality():
    rng = random.Random(5)
    stream = crisis_sim.simulate_stream(rng, per_hour=50, alpha=0.1, weeks=4)
    baseline = baseline_from_history(stream.hourly(0, len(stream.volume)))
    evening = baseline.volume.hour_factors[19]
    morning = baseline.volume.hour_factors[7]
    assert evening / morning == pytest.approx(1.6 / 0.4, rel=0.25)
    saturday, monday = baseline.volume.weekday_factors[5], baseline.volume.weekday_factors[0]
    assert saturday < monday
    assert baseline.negative_share == pytest.approx(0.15, abs=0.02)
    assert 0.05 < baseline.volume.alpha < 0.2


def _window(end, volume, negative, hours=1, **extra):
    return WindowCounts(
        start=end - timedelta(hours=hours), end=end, volume=volume, negative=negative, **extra
    )


@pytest.fixture
def busy_baseline():
    rng = random.Random(6)
    stream = crisis_sim.simulate_stream(rng, per_hour=50, alpha=0.15, weeks=4)
    return baseline_from_history(stream.hourly(0, len(stream.volume)))


NOON = datetime(2026, 2, 4, 12, 0)  # a Wednesday


def test_a_normal_hour_raises_nothing(busy_baseline):
    expected = busy_baseline.volume.expected(NOON - timedelta(hours=1), NOON)
    obs = Observation(
        short_prev=_window(NOON - timedelta(minutes=15), round(expected), round(expected * 0.15)),
        short_now=_window(NOON, round(expected), round(expected * 0.15)),
    )
    assert evaluate(RuleParams(), busy_baseline, obs) == []


def test_a_negative_surge_in_two_consecutive_windows_is_a_signal(busy_baseline):
    obs = Observation(
        short_prev=_window(NOON - timedelta(minutes=15), 70, 28),
        short_now=_window(NOON, 80, 36),
    )
    causes = {s.cause for s in evaluate(RuleParams(), busy_baseline, obs)}
    assert Cause.NEGATIVE_SHARE in causes and Cause.NEGATIVE_VOLUME in causes


def test_one_anomalous_window_alone_is_not_enough(busy_baseline):
    expected = busy_baseline.volume.expected(NOON - timedelta(hours=1), NOON)
    obs = Observation(
        short_prev=_window(NOON - timedelta(minutes=15), round(expected), round(expected * 0.15)),
        short_now=_window(NOON, 80, 36),
    )
    assert evaluate(RuleParams(), busy_baseline, obs) == []


def test_three_negative_posts_for_a_small_brand_raise_nothing():
    rng = random.Random(7)
    stream = crisis_sim.simulate_stream(rng, per_hour=2, alpha=0.15, weeks=4)
    baseline = baseline_from_history(stream.hourly(0, len(stream.volume)))
    obs = Observation(
        short_prev=_window(NOON - timedelta(minutes=15), 4, 3),
        short_now=_window(NOON, 4, 3),
    )
    assert evaluate(RuleParams(), baseline, obs) == []


def test_a_disabled_condition_stays_quiet(busy_baseline):
    obs = Observation(
        short_prev=_window(NOON - timedelta(minutes=15), 70, 28),
        short_now=_window(NOON, 80, 36),
    )
    params = RuleParams(negative_share_enabled=False, negative_volume_enabled=False)
    assert evaluate(params, busy_baseline, obs) == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("C'est un SCANDALE, boycottez cette marque", "scandale"),
        ("Total scam, avoid", "scam"),
        ("فضيحة كبيرة لهاد الشركة", "فضيحه"),
        ("خاصنا مقاطعة هاد المنتوج", "مقاطعه"),
        ("hadi fdi7a dyal bssa7", "fdi7a"),
        ("khassna n9ata3o had lmarque", None),  # n9ata3o is not n9ata3 (word boundary)
        ("n9ata3 had l marque daba", "n9ata3"),
        ("arnâque totale", "arnaque"),
    ],
)
def test_trigger_words_in_french_english_arabic_and_darija(text, word):
    found = trigger_words_in(text)
    assert (word in found) if word else found == []


def test_trigger_words_and_a_high_reach_author_are_signals(busy_baseline):
    quiet = _window(NOON - timedelta(minutes=15), 40, 6)
    obs = Observation(
        short_prev=quiet,
        short_now=_window(
            NOON,
            40,
            6,
            trigger_negative=3,
            trigger_words=("boycott",),
            max_negative_followers=250_000,
            high_reach_mention_ids=(9,),
        ),
    )
    causes = {s.cause: s for s in evaluate(RuleParams(), busy_baseline, obs)}
    assert set(causes) == {Cause.TRIGGER_WORDS, Cause.HIGH_REACH}
    assert causes[Cause.HIGH_REACH].stats["mention_ids"] == [9]


def test_simulator_weeks_without_bursts_are_mostly_quiet_and_bursts_are_found():
    quality = crisis_sim.measure(per_hour=50, alpha=0.15, weeks=6, bursts=6, seed=11)
    assert quality.false_per_brand_week <= 0.5
    assert quality.detected_2h >= 4
