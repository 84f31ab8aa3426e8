"""When a failed delivery is tried again, and when retries stop (docs/webhooks.md prints the
schedule that `retry_schedule` computes). Pure: nothing here touches the database."""

import random
from datetime import timedelta

# Retries stop this long after the event was emitted; the delivery is then "dead".
RETRY_FOR = timedelta(hours=24)
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 4 * 3600
JITTER = 0.2  # ±20 %, so that deliveries failing together do not retry together


def retry_delay(failed_attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """How long to wait after the n-th failed attempt: 30 s doubling to 4 h, ±20 % jitter."""
    base = min(FIRST_RETRY_SECONDS * 2 ** max(failed_attempts - 1, 0), MAX_RETRY_SECONDS)
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)  # noqa: S311 - jitter, not crypto
    return timedelta(seconds=base * factor)


def retry_schedule() -> list[int]:
    """Seconds between attempts, without jitter, until RETRY_FOR is used up (for the docs)."""
    delays, total, n = [], 0, 1
    while True:
        delay = min(FIRST_RETRY_SECONDS * 2 ** (n - 1), MAX_RETRY_SECONDS)
        if total + delay > RETRY_FOR.total_seconds():
            return delays
        delays.append(delay)
        total += delay
        n += 1
