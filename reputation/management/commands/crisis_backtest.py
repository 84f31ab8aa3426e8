"""Replay a brand's stored mentions through its crisis rule and print the incidents it would
have opened, to tune thresholds before turning a rule on. Reads only; writes nothing.

    manage.py crisis_backtest --brand 12 [--days 30] [--step 15] [--rule-defaults]

Evaluates every `step` minutes with the same functions as the live evaluation
(reputation.crisis_stats), on windows counted from the stored mentions; the baseline is
recomputed once a day from the hourly rollups, as it would have been then.
"""

import bisect
import zoneinfo
from dataclasses import replace
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agency.tenancy import tenant_scope
from reputation.crisis_stats.evaluation import Observation, WindowCounts, back_to_baseline, evaluate
from reputation.crisis_stats.rules import SHORT_STEP, SHORT_WINDOW, RuleParams, incident_cause
from reputation.crisis_stats.triggers import trigger_words_in, trigger_words_pattern
from reputation.models.mentions import Mention
from reputation.selectors.crises import crisis_rule_for
from reputation.selectors.crisis_counts import MIN_HISTORY_HOURS, brand_baseline


class Command(BaseCommand):
    help = "Replay a brand's stored mentions through its crisis rule; print would-be incidents."

    def add_arguments(self, parser):
        parser.add_argument("--brand", type=int, required=True, help="The brand's id.")
        parser.add_argument("--days", type=int, default=30, help="How far back to replay.")
        parser.add_argument("--step", type=int, default=15, help="Minutes between evaluations.")
        parser.add_argument(
            "--rule-defaults", action="store_true", help="Use the default rule, not the brand's."
        )

    def handle(self, *args, brand, days, step, rule_defaults, **options):
        from clients.models import Brand

        found = Brand.unscoped.select_related("agency").filter(pk=brand).first()
        if found is None:
            raise CommandError(f"No brand with id {brand}.")
        with tenant_scope(found.agency_id):
            self._replay(found, days=days, step=timedelta(minutes=step), defaults=rule_defaults)

    def _replay(self, brand, *, days, step, defaults):
        tz = zoneinfo.ZoneInfo(brand.agency.time_zone)
        rule = crisis_rule_for(brand=brand)
        params = RuleParams() if defaults else rule.params()
        pattern = trigger_words_pattern(params.extra_trigger_words)
        end = timezone.now()
        start = end - timedelta(days=days)
        rows = list(
            Mention.objects.filter(
                brand=brand,
                voice="",
                published_at__gte=start - timedelta(days=1),
                published_at__lt=end,
            )
            .order_by("published_at")
            .values_list("published_at", "sentiment_label", "title", "text", "author__followers")
        )
        mentions = [
            (
                when,
                label == "negative",
                label == "negative" and bool(trigger_words_in(f"{t} {x}", pattern)),
                (followers or 0) if label == "negative" else 0,
            )
            for when, label, t, x, followers in rows
        ]
        self.stdout.write(
            f"{brand.name} (#{brand.pk}): {len(mentions)} mentions replayed over {days} days, "
            f"every {int(step.total_seconds() // 60)} min, "
            f"{'default rule' if defaults else 'the brand rule'}."
        )

        times = [m[0] for m in mentions]

        def window(a, b):
            inside = mentions[bisect.bisect_left(times, a) : bisect.bisect_left(times, b)]
            negatives = [m for m in inside if m[1]]
            return WindowCounts(
                start=timezone.localtime(a, tz).replace(tzinfo=None),
                end=timezone.localtime(b, tz).replace(tzinfo=None),
                volume=len(inside),
                negative=len(negatives),
                trigger_negative=sum(1 for m in negatives if m[2]),
                max_negative_followers=max((m[3] for m in negatives), default=0),
            )

        baseline, baseline_day = None, None
        open_since, calm_since, closed_at, opened = {}, {}, {}, 0
        now = start
        while now <= end:
            if baseline_day != now.date():
                baseline = brand_baseline(brand=brand, now=now, tz=tz)
                baseline_day = now.date()
                run = params
                if baseline.hours < MIN_HISTORY_HOURS:
                    run = replace(
                        params,
                        volume_enabled=False,
                        negative_volume_enabled=False,
                        negative_share_enabled=False,
                    )
            short, gap = SHORT_WINDOW, SHORT_STEP
            obs = Observation(
                short_prev=window(now - short - gap, now - gap), short_now=window(now - short, now)
            )
            signals = evaluate(run, baseline, obs)
            causes = {}
            for signal in signals:
                causes.setdefault(incident_cause(signal.cause), signal)
            for cause, signal in causes.items():
                calm_since.pop(cause, None)
                if cause in open_since:
                    continue
                last = closed_at.get(cause)
                if last is not None and now - last < params.cooldown:
                    continue
                open_since[cause] = now
                opened += 1
                self.stdout.write(
                    f"  OPEN   {timezone.localtime(now, tz):%Y-%m-%d %H:%M}  {cause:<14} "
                    f"{signal.severity:<8} {self._summary(signal)}"
                )
            calm = back_to_baseline(run, baseline, obs.short_now)
            for cause in list(open_since):
                if cause in causes or not calm:
                    calm_since.pop(cause, None)
                    continue
                calm_since.setdefault(cause, now)
                if now - calm_since[cause] >= timedelta(hours=2):
                    self.stdout.write(
                        f"  CLOSE  {timezone.localtime(now, tz):%Y-%m-%d %H:%M}  {cause} "
                        f"(open {now - open_since.pop(cause)})"
                    )
                    closed_at[cause] = now
            now += step
        self.stdout.write(f"{opened} incident(s) would have been opened.")

    @staticmethod
    def _summary(signal) -> str:
        stats = signal.stats
        if "current" in stats:
            current = stats["current"]
            if "share" in current:
                return f"share {current['share']:.0%} (usual {current['usual_share']:.0%})"
            return f"{current['observed']} vs {current['expected']:.1f} expected"
        return ", ".join(f"{key}={value}" for key, value in stats.items())[:120]
