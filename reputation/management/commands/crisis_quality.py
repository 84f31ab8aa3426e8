"""Measure the default crisis rules on simulated streams (reputation.crisis_sim).

Prints, for a small (2/hour) and a busy (50/hour) brand, the false incidents per brand-week
on weeks without a burst, and the share of injected 4x negative bursts lasting two hours
that open an incident within one hour of their start (and how fast).
"""

import time
from dataclasses import replace

from django.core.management.base import BaseCommand

from reputation.crisis_sim import measure
from reputation.crisis_stats.rules import RuleParams

TARGET_FALSE_PER_WEEK = 0.2
TARGET_DETECTION = 0.8


class Command(BaseCommand):
    help = "Measure crisis detection on simulated mention streams (false alarms, detection)."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=200, help="Brand-weeks per volume.")
        parser.add_argument("--bursts", type=int, default=200, help="Bursts per volume.")
        parser.add_argument("--alpha", type=float, default=0.15, help="NB dispersion (sim).")
        parser.add_argument("--factor", type=float, default=4.0, help="Burst size (x negatives).")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, weeks, bursts, alpha, factor, seed, **options):
        params = replace(RuleParams())
        self.stdout.write(
            f"Simulated: NB alpha={alpha}, 15 % negative, daily + weekly seasonality, "
            f"4 weeks of history, evaluated every 15 min; bursts x{factor:g} negatives for 2 h."
        )
        header = (
            f"{'brand':>10} {'weeks':>6} {'false':>6} {'false/wk':>9} {'bursts':>7} "
            f"{'<=1h':>6} {'<=2h':>6} {'median min':>11} {'p90 min':>8} {'secs':>6}"
        )
        self.stdout.write(header)
        ok = True
        for per_hour in (2, 50):
            started = time.monotonic()
            q = measure(
                per_hour=per_hour,
                alpha=alpha,
                weeks=weeks,
                bursts=bursts,
                params=params,
                burst_factor=factor,
                seed=seed,
            )
            delays = sorted(q.delays_minutes)
            median = delays[len(delays) // 2] if delays else float("nan")
            p90 = delays[int(len(delays) * 0.9)] if delays else float("nan")
            self.stdout.write(
                f"{str(per_hour) + '/h':>10} {q.weeks:>6} {q.false_incidents:>6} "
                f"{q.false_per_brand_week:>9.3f} {q.bursts:>7} {q.detection_share:>6.1%} "
                f"{q.detected_2h / q.bursts if q.bursts else 0:>6.1%} {median:>11.0f} "
                f"{p90:>8.0f} {time.monotonic() - started:>6.1f}"
            )
            ok &= q.false_per_brand_week <= TARGET_FALSE_PER_WEEK
            if per_hour == 50:
                ok &= q.detection_share >= TARGET_DETECTION
        self.stdout.write(
            f"Targets: <= {TARGET_FALSE_PER_WEEK} false incidents per brand-week at both "
            f"volumes; >= {TARGET_DETECTION:.0%} of bursts detected within 1 h at 50/h: "
            + ("met" if ok else "NOT met")
        )
