"""The report template form: name, sections (each ticked or not, with its position),
commentary, period, comparison and language. The sections' order is the positions given
(ties keep the registry's order); the service checks the rest. And the forms of runs: a
schedule (`ScheduleForm`) and "run now" (`RunNowForm`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from analytics.periods import MAX_PERIOD_DAYS, Compare
from reports.models import ContactRecipients, Frequency, PeriodKind, ReportLanguage, ReportTemplate
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


# --- Schedules and runs ----------------------------------------------------------------------

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class _TemplateChoice(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        # The queryset is read inside the request's tenant scope (compiled lazily).
        super().__init__(queryset=ReportTemplate.objects.order_by("name", "id"), **kwargs)


class ScheduleForm(forms.Form):
    template = _TemplateChoice(label=_("Template"))
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    weekday = forms.TypedChoiceField(
        label=_("Day of the week (weekly)"), choices=WEEKDAYS, coerce=int, required=False
    )
    day_of_month = forms.IntegerField(
        label=_("Day of the month (monthly)"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("31 means the month's last day."),
    )
    hour = forms.IntegerField(label=_("Hour (brand's time)"), min_value=0, max_value=23, initial=9)
    contacts = forms.ChoiceField(label=_("Client contacts"), choices=ContactRecipients.choices)
    extra_recipients = forms.CharField(
        label=_("Other addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line or separated by commas."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("frequency") == Frequency.WEEKLY and data.get("weekday") in (None, ""):
            self.add_error("weekday", _("Choose the day of the week."))
        if data.get("frequency") == Frequency.MONTHLY and not data.get("day_of_month"):
            self.add_error("day_of_month", _("Choose the day of the month."))
        if data.get("weekday") == "":
            data["weekday"] = None
        return data


class RunNowForm(forms.Form):
    template = _TemplateChoice(label=_("Template"))
    recipients = forms.CharField(
        label=_("E-mail it to"),
        required=False,
        help_text=_("Leave empty to only make the report."),
    )
