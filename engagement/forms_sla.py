"""A brand's SLA settings as one form: two opening intervals per weekday, the closed dates (one
per line, ``YYYY-MM-DD`` then an optional name) and the two targets per priority."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from engagement.models import Priority, Weekday
from engagement.models.sla import MAX_TARGET_MINUTES

INTERVALS_PER_DAY = 2
MAX_CLOSED_DAYS = 400
MIDNIGHT = dt.time(0, 0)


def _time(label):
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control form-control-sm"}),
    )


def _minutes(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=MAX_TARGET_MINUTES,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )


class SlaSettingsForm(forms.Form):
    closed_days = forms.CharField(
        label=_("Closed days"),
        required=False,
        max_length=20000,
        help_text=_("One per line: the date (YYYY-MM-DD), then a name if you like."),
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control", "dir": "auto"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day in Weekday:
            for n in range(INTERVALS_PER_DAY):
                self.fields[f"d{day.value}_{n}_opens"] = _time(
                    _("%(day)s opens") % {"day": day.label}
                )
                self.fields[f"d{day.value}_{n}_closes"] = _time(
                    _("%(day)s closes") % {"day": day.label}
                )
        for priority in Priority:
            self.fields[f"p{priority.value}_first"] = _minutes(
                _("%(priority)s: first response (minutes)") % {"priority": priority.label}
            )
            self.fields[f"p{priority.value}_resolution"] = _minutes(
                _("%(priority)s: resolution (minutes)") % {"priority": priority.label}
            )

    @classmethod
    def initial_from(cls, *, weekly, closed, targets) -> dict:
        initial: dict = {}
        for day, spans in weekly.items():
            for n, (opens, closes) in enumerate(spans[:INTERVALS_PER_DAY]):
                initial[f"d{day}_{n}_opens"] = opens
                initial[f"d{day}_{n}_closes"] = closes
        initial["closed_days"] = "\n".join(
            f"{date.isoformat()} {name}".strip() for date, name in closed
        )
        for priority, (first, resolution) in targets.items():
            initial[f"p{priority}_first"] = first // 60
            initial[f"p{priority}_resolution"] = resolution // 60
        return initial

    def week_rows(self):
        """(weekday label, [(opens field, closes field), ...]) for the template."""
        return [
            (
                day.label,
                [
                    (self[f"d{day.value}_{n}_opens"], self[f"d{day.value}_{n}_closes"])
                    for n in range(INTERVALS_PER_DAY)
                ],
            )
            for day in Weekday
        ]

    def target_rows(self):
        return [
            (p.label, self[f"p{p.value}_first"], self[f"p{p.value}_resolution"]) for p in Priority
        ]

    def clean_closed_days(self) -> list[tuple[dt.date, str]]:
        days: dict[dt.date, str] = {}
        for number, line in enumerate(self.cleaned_data["closed_days"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            head, _sep, name = line.partition(" ")
            try:
                date = dt.date.fromisoformat(head)
            except ValueError:
                raise ValidationError(
                    _("Line %(n)d: write the date as YYYY-MM-DD."), params={"n": number}
                ) from None
            days[date] = name.strip()[:120]
        if len(days) > MAX_CLOSED_DAYS:
            raise ValidationError(_("At most %(n)d closed days."), params={"n": MAX_CLOSED_DAYS})
        return sorted(days.items())

    def clean(self):
        data = super().clean()
        weekly: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for day in Weekday:
            spans = []
            for n in range(INTERVALS_PER_DAY):
                key = f"d{day.value}_{n}"
                opens, closes = data.get(f"{key}_opens"), data.get(f"{key}_closes")
                if opens is None and closes is None:
                    continue
                if opens is None or closes is None:
                    self.add_error(f"{key}_closes", _("Give both the opening and closing time."))
                    continue
                if closes != MIDNIGHT and closes <= opens:
                    self.add_error(
                        f"{key}_closes", _("The closing time must be after the opening time.")
                    )
                    continue
                spans.append((opens, closes))
            spans.sort()
            for (_o1, c1), (o2, _c2) in zip(spans, spans[1:], strict=False):
                if c1 == MIDNIGHT or o2 < c1:
                    self.add_error(
                        f"d{day.value}_1_opens", _("The two intervals of a day must not overlap.")
                    )
            if spans:
                weekly[day.value] = spans
        targets: dict[int, tuple[int, int]] = {}
        for priority in Priority:
            first = data.get(f"p{priority.value}_first")
            resolution = data.get(f"p{priority.value}_resolution")
            if first is None and resolution is None:
                continue
            if first is None or resolution is None:
                self.add_error(
                    f"p{priority.value}_resolution",
                    _("Give both targets for this priority, or neither."),
                )
                continue
            targets[priority.value] = (first, resolution)
        data["weekly"] = weekly
        data["targets"] = targets
        return data
