"""The composer's form: a post, its accounts, their own text and media, and each network's
publishing options."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.datetimes import validate_supported_date
from campaigns.composer import MAX_DRAFT_CHARS, MAX_FIRST_COMMENT_CHARS
from campaigns.forms.planning import split_labels
from campaigns.network_options import options_of
from networks.options import OptionKind


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time on the brand's wall clock, kept naive: the service converts it with the
    brand's zone (Django's own field would read it in the dashboard's zone)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        for fmt in self.input_formats:
            try:
                return dt.datetime.strptime(str(value).strip(), fmt)
            except (TypeError, ValueError):
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def option_field_name(account, option) -> str:
    return f"option_{account.pk}_{option.name}"


def option_form_field(account, option, option_choices) -> forms.Field:
    """The form field of one network option. Completeness is checked with the content rules
    (campaigns.composer), so every field may be left empty in a draft. ``option_choices``
    (account, name) -> (choices or None, error) gives the account's own choices."""
    label = _("%(option)s (%(account)s)") % {"option": _(option.label), "account": account}
    help_text = _(option.help_text) if option.help_text else ""
    if option.kind == OptionKind.BOOL:
        return forms.BooleanField(label=label, required=False, help_text=help_text)
    if option.kind == OptionKind.URL:
        return forms.URLField(
            label=label,
            required=False,
            max_length=2000,
            help_text=help_text,
            assume_scheme="https",
        )
    choices = [(value, _(text)) for value, text in option.choices]
    if option.account_choices:
        loaded, error = option_choices(account, option.name) if option_choices else (None, "")
        if loaded is None:  # not loaded: the value is typed, and the network checks it
            return forms.CharField(
                label=label,
                required=False,
                max_length=500,
                help_text=error or help_text,
            )
        choices = loaded
    if option.kind == OptionKind.CHOICE:
        return forms.ChoiceField(
            label=label,
            required=False,
            help_text=help_text,
            choices=[("", "—"), *choices],
        )
    return forms.CharField(
        label=label, required=False, max_length=option.max_length or 2000, help_text=help_text
    )


class PostForm(forms.Form):
    """The composer. Accounts, media and campaigns are those of the chosen brand."""

    title = forms.CharField(label=_("Internal title"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=MAX_DRAFT_CHARS,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    link = forms.URLField(label=_("Link"), required=False, max_length=2000, assume_scheme="https")
    first_comment = forms.CharField(
        label=_("First comment"),
        required=False,
        max_length=MAX_FIRST_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accounts = forms.ModelMultipleChoiceField(
        label=_("Accounts"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    media = forms.ModelMultipleChoiceField(
        label=_("Media"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False)
    scheduled_at = WallClockDateTimeField(
        label=_("Publish on"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_supported_date],
    )
    labels = forms.CharField(label=_("Labels"), required=False, help_text=_("Separated by commas."))

    def __init__(self, *args, brand, accounts, media, campaigns, option_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.brand = brand
        self.fields["accounts"].queryset = accounts
        self.fields["media"].queryset = media
        self.fields["campaign"].queryset = campaigns
        self.fields["scheduled_at"].help_text = _("In the brand's time zone (%(zone)s).") % {
            "zone": brand.time_zone
        }
        for account in accounts:
            self.fields[f"override_{account.pk}"] = forms.CharField(
                label=_("Text for %(account)s") % {"account": account},
                required=False,
                max_length=MAX_DRAFT_CHARS,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"media_{account.pk}"] = forms.ModelMultipleChoiceField(
                label=_("Media for %(account)s") % {"account": account},
                queryset=media,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("None chosen: the post's media."),
            )
            for option in options_of(account.network):
                self.fields[option_field_name(account, option)] = option_form_field(
                    account, option, option_choices
                )

    def override_fields(self):
        return [
            (account, self[f"override_{account.pk}"], self[f"media_{account.pk}"])
            for account in self.fields["accounts"].queryset
        ]

    def media_overrides(self) -> dict[int, list]:
        """{account id: [MediaAsset]} for the accounts given their own media."""
        data = getattr(self, "cleaned_data", {})
        return {
            account.pk: list(data[f"media_{account.pk}"])
            for account in self.fields["accounts"].queryset
            if data.get(f"media_{account.pk}")
        }

    def overrides(self) -> dict[int, str]:
        return {
            account.pk: self.cleaned_data.get(f"override_{account.pk}", "")
            for account in self.fields["accounts"].queryset
            if self.cleaned_data.get(f"override_{account.pk}")
        }

    def option_fields(self):
        """[(account, [bound fields])] for the accounts whose network has options."""
        return [
            (account, [self[option_field_name(account, o)] for o in options_of(account.network)])
            for account in self.fields["accounts"].queryset
            if options_of(account.network)
        ]

    def network_options(self) -> dict[int, dict]:
        """{account id: {option: value}} as typed, for every account with options."""
        data = getattr(self, "cleaned_data", {})
        return {
            account.pk: {
                option.name: data.get(option_field_name(account, option))
                for option in options_of(account.network)
                if option_field_name(account, option) in data
            }
            for account in self.fields["accounts"].queryset
            if options_of(account.network)
        }

    def labels_list(self) -> list[str]:
        return split_labels(self.cleaned_data.get("labels", ""))
