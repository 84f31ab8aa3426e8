"""Print accuracy and macro-F1 per language of the sentiment analysers."""

from django.core.management.base import BaseCommand, CommandError

from reputation import evaluation

TARGETS = {"fr": 0.75, "en": 0.75, "ar": 0.6, "ary": 0.6}


class Command(BaseCommand):
    help = (
        "Measure the sentiment analysers on the shipped evaluation set (default), the dev set "
        "(--dataset dev), or the corrections users made (--corrections)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dataset", default="eval", choices=["eval", "dev"])
        parser.add_argument(
            "--corrections", action="store_true", help="measure on users' corrections"
        )
        parser.add_argument("--agency", type=int, help="with --corrections: one agency only")
        parser.add_argument("--errors", action="store_true", help="list misclassified items")

    def handle(self, *args, dataset, corrections, agency, errors, **options):
        if corrections:
            items = self._corrections(agency)
            title = f"{len(items)} sentiment corrections"
        else:
            items = evaluation.load(dataset)
            title = f"{dataset}.jsonl, {len(items)} items"
        if not items:
            raise CommandError("Nothing to evaluate.")
        self.stdout.write(title)
        self.stdout.write(f"{'language':<10}{'items':>7}{'accuracy':>10}{'macro-F1':>10}  target")
        for language, scores in evaluation.evaluate(items).items():
            target = TARGETS.get(language)
            verdict = ""
            if target is not None:
                verdict = f"≥ {target:.2f} {'ok' if scores.macro_f1 >= target else 'MISSED'}"
            self.stdout.write(
                f"{language:<10}{scores.items:>7}{scores.accuracy:>10.3f}"
                f"{scores.macro_f1:>10.3f}  {verdict}"
            )
        if errors:
            for item, predicted, score in evaluation.errors(items):
                self.stdout.write(
                    f"[{item['language']}] gold={item['label']} got={predicted} "
                    f"({score:+.2f}) {item['text']}"
                )

    def _corrections(self, agency_id):
        from reputation.models.mentions import SentimentCorrection

        # A maintenance command spanning agencies by design (or one agency with --agency).
        queryset = SentimentCorrection.unscoped.all()
        if agency_id:
            queryset = queryset.filter(agency_id=agency_id)
        items = []
        for text, language, label in queryset.values_list("text", "language", "label"):
            if language == "ary-Latn":
                items.append({"text": text, "language": "ary", "script": "Latn", "label": label})
            else:
                items.append({"text": text, "language": language, "label": label})
        return items
