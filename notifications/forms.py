"""The alert preferences form: a channel per alert kind, quiet hours and the digest hour."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import AlertChannel, AlertKind


class NotificationPreferenceForm(forms.Form):
    """A channel per alert kind (fields built from AlertKind), quiet hours, the digest hour.

    A kind left out of the submitted data keeps the channel given as the field's initial value
    (the view sets the person's current one), so a partial post changes only what it names.
    """

    quiet_hours_start = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_hours_end = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        help_text=_("In the agency's time zone. Critical alerts are sent even then."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Send the digest at"),
        coerce=int,
        choices=[(hour, f"{hour:02d}:00") for hour in range(24)],
        initial=8,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in AlertKind.choices:
            self.fields[f"channel:{kind}"] = forms.ChoiceField(
                label=label, choices=AlertChannel.choices, required=False
            )

    def channel_fields(self):
        return [self[name] for name in self.fields if name.startswith("channel:")]

    @property
    def channels(self) -> dict[str, str]:
        return {
            name.removeprefix("channel:"): value or self.fields[name].initial
            for name, value in self.cleaned_data.items()
            if name.startswith("channel:") and (value or self.fields[name].initial)
        }
