"""Print per-label precision, recall and F1, and macro-F1, per language of the abuse detector."""

from django.core.management.base import BaseCommand

from reputation.abuse import LABELS
from reputation.evaluation import abuse as evaluation


class Command(BaseCommand):
    help = (
        "Measure the abuse detector on the held-out set (default) or the development set "
        "(--dataset dev). Tune on dev only: eval is measured, never tuned on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dataset", default="eval", choices=sorted(evaluation.DATASETS))
        parser.add_argument("--errors", action="store_true", help="list misclassified items")

    def handle(self, *args, dataset, errors, **options):
        items = evaluation.load(dataset)
        self.stdout.write(f"{evaluation.DATASETS[dataset]}, {len(items)} items")
        results = evaluation.evaluate(items)
        for language, scores in results.items():
            self.stdout.write(
                f"\n{language}: {scores.items} items, macro-F1 {scores.macro_f1:.3f}, "
                f"false alarms on clean items {scores.false_alarms}/{scores.clean_items}"
            )
            self.stdout.write(f"  {'label':<8}{'items':>6}{'precision':>11}{'recall':>8}{'F1':>7}")
            for label in LABELS:
                found = scores.per_label[label]
                self.stdout.write(
                    f"  {label:<8}{found.support:>6}{found.precision:>11.3f}"
                    f"{found.recall:>8.3f}{found.f1:>7.3f}"
                )
        self.stdout.write("\nmacro-F1 per language")
        for language, scores in results.items():
            self.stdout.write(f"  {language:<10}{scores.items:>5} items  {scores.macro_f1:.3f}")
        if errors:
            self.stdout.write("")
            for item, got in evaluation.errors(items):
                gold = ",".join(sorted(item["labels"])) or "clean"
                predicted = ",".join(sorted(got)) or "clean"
                language = item["language"]
                self.stdout.write(f"[{language}] gold={gold} got={predicted} {item['text']}")
