"""The metrics' date range, from the page's query string or the API's: both dates optional
(the last 30 days), at most a year, the end not before the start; a brand id optional."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.selectors.metrics import MAX_RANGE_DAYS

DEFAULT_DAYS = 30
# Far outside any conversation, and far from datetime's limits (year 9999 + a day overflows).
MIN_YEAR, MAX_YEAR = 2000, 2200


class MetricsRangeForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    brand = forms.IntegerField(label=_("Brand"), required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        end = data.get("end") or self.today
        start = data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        if start.year < MIN_YEAR or end.year > MAX_YEAR:
            raise forms.ValidationError(
                _("Choose dates between %(low)d and %(high)d."),
                params={"low": MIN_YEAR, "high": MAX_YEAR},
            )
        if end < start:
            raise forms.ValidationError(_("The end of the range is before its start."))
        if (end - start).days >= MAX_RANGE_DAYS:
            raise forms.ValidationError(_("Choose a range of at most a year."))
        data["start"], data["end"] = start, end
        return data
