"""The report template form: name, sections (each ticked or not, with its position),
commentary, period, comparison and language. The sections' order is the positions given
(ties keep the registry's order); the service checks the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from analytics.periods import MAX_PERIOD_DAYS, Compare
from reports.models import PeriodKind, ReportLanguage, ReportTemplate
from reports.models.templates import COMMENTARY_MAX_CHARS
from reports.section_keys import SectionKey


class ReportTemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    commentary = forms.CharField(
        label=_("Commentary"),
        required=False,
        max_length=COMMENTARY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_(
            "The account manager's words, shown in the summary. A blank line starts a "
            "new paragraph."
        ),
    )
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    period_days = forms.IntegerField(
        label=_("Number of days"),
        required=False,
        min_value=1,
        max_value=MAX_PERIOD_DAYS,
        help_text=_("Only for “the last N days”: the days ending the day before the report."),
    )
    compare = forms.ChoiceField(label=_("Comparison"), choices=Compare.choices)
    language = forms.ChoiceField(label=_("Language"), choices=ReportLanguage.choices)

    def __init__(self, *args, instance: ReportTemplate | None = None, **kwargs):
        template = instance or ReportTemplate()
        if "initial" not in kwargs:
            kwargs["initial"] = _initial(template)
        super().__init__(*args, **kwargs)
        for key, label in SectionKey.choices:
            self.fields[f"include_{key}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"position_{key}"] = forms.IntegerField(
                label=gettext("Position of “%(section)s”") % {"section": label},
                required=False,
                min_value=1,
                max_value=99,
            )

    def section_rows(self):
        """Each section with its two fields, in the order the template has them."""
        order = {key: i for i, key in enumerate(self._current_order())}
        keys = sorted(
            SectionKey.values, key=lambda k: order.get(k, 100 + SectionKey.values.index(k))
        )
        return [
            (key, SectionKey(key).label, self[f"include_{key}"], self[f"position_{key}"])
            for key in keys
        ]

    def _current_order(self) -> list[str]:
        if self.is_bound and hasattr(self, "cleaned_data") and "sections" in self.cleaned_data:
            return self.cleaned_data["sections"]
        return list(self.initial.get("_sections", SectionKey.values))

    def clean(self):
        cleaned = super().clean()
        chosen = []
        for index, key in enumerate(SectionKey.values):
            if cleaned.get(f"include_{key}"):
                position = cleaned.get(f"position_{key}")
                chosen.append((position if position is not None else 100 + index, index, key))
        if not chosen:
            self.add_error(None, gettext("Choose at least one section."))
        cleaned["sections"] = [key for _position, _index, key in sorted(chosen)]
        if cleaned.get("period_kind") == PeriodKind.LAST_DAYS and not cleaned.get("period_days"):
            self.add_error("period_days", gettext("Give the number of days the report covers."))
        if cleaned.get("period_kind") != PeriodKind.LAST_DAYS:
            cleaned["period_days"] = None
        return cleaned

    def template_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "sections": data["sections"],
            "commentary": data.get("commentary", ""),
            "period_kind": data["period_kind"],
            "period_days": data.get("period_days"),
            "compare": data["compare"],
            "language": data["language"],
        }


def _initial(template: ReportTemplate) -> dict:
    initial = {
        "name": template.name,
        "commentary": template.commentary,
        "period_kind": template.period_kind,
        "period_days": template.period_days,
        "compare": template.compare,
        "language": template.language,
        "_sections": list(template.sections),
    }
    for position, key in enumerate(template.sections, start=1):
        initial[f"include_{key}"] = True
        initial[f"position_{key}"] = position
    for key in SectionKey.values:
        initial.setdefault(f"position_{key}", None)
    return initial
