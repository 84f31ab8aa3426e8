"""Upper tail probabilities: Poisson, negative binomial, binomial, in log space."""

import math
from collections.abc import Sequence


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
