"""Dashboard forms of campaigns: they parse and present; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.datetimes import DatePickerField, validate_supported_date
from campaigns.models import (
    CAMPAIGN_FIELDS,
    KPI_KEYS,
    ApprovalMode,
    Campaign,
    CampaignStatus,
    CommentVisibility,
    IdeaKind,
    Objective,
    PostState,
    RecruitmentChannel,
    ShareLinkKind,
)
from networks.registry import NETWORK_CHOICES

KPI_LABELS = {
    "reach": _("Reach"),
    "engagement_rate": _("Engagement rate (%)"),
    "followers_gained": _("Followers gained"),
    "leads": _("Leads"),
    "clicks": _("Clicks"),
}


def split_labels(value: str) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


class CampaignForm(forms.Form):
    brand = forms.ModelChoiceField(queryset=None, label=_("Brand"))
    name = forms.CharField(label=_("Name"), max_length=150)
    objective = forms.ChoiceField(label=_("Objective"), choices=Objective.choices)
    recruitment_channel = forms.ChoiceField(
        label=_("Recruitment channel"),
        choices=[("", "—"), *RecruitmentChannel.choices],
        required=False,
        help_text=_("For community recruitment: partnerships, referral or e-mailing."),
    )
    starts_on = DatePickerField(label=_("Start"))
    ends_on = DatePickerField(label=_("End"))
    budget = forms.DecimalField(
        label=_("Budget"), max_digits=12, decimal_places=2, required=False, min_value=0
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="MAD")
    status = forms.ChoiceField(label=_("Status"), choices=CampaignStatus.choices)
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    personas = forms.ModelMultipleChoiceField(
        label=_("Target audiences"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    utm_enabled = forms.BooleanField(label=_("Add UTM parameters to links"), required=False)
    utm_source = forms.CharField(
        label="utm_source",
        max_length=100,
        initial="{network}",
        help_text=_("{network} is replaced by the network of each variant."),
    )
    utm_medium = forms.CharField(label="utm_medium", max_length=100, initial="social")
    utm_campaign = forms.CharField(
        label="utm_campaign",
        max_length=100,
        required=False,
        help_text=_("Empty: derived from the campaign's name."),
    )

    def __init__(self, *args, brands, personas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands
        self.fields["personas"].queryset = personas
        self.fields["personas"].label_from_instance = lambda p: f"{p.brand.name} · {p.name}"
        for key in KPI_KEYS:
            self.fields[f"kpi_{key}"] = forms.DecimalField(
                label=KPI_LABELS[key], required=False, min_value=0, max_digits=14, decimal_places=2
            )

    def kpi_fields(self):
        return [self[f"kpi_{key}"] for key in KPI_KEYS]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("brand")
        data.pop("personas")
        data["tags"] = split_labels(data["tags"])
        kpis = {}
        for key in KPI_KEYS:
            value = data.pop(f"kpi_{key}")
            if value is not None:
                kpis[key] = float(value) if value % 1 else int(value)
        data["kpi_targets"] = kpis
        return data

    @staticmethod
    def initial_from(campaign: Campaign) -> dict:
        initial = {
            "brand": campaign.brand_id,
            "personas": list(campaign.personas.all()),
            "tags": ", ".join(campaign.tags),
        }
        for name in CAMPAIGN_FIELDS:
            if name not in ("kpi_targets", "tags"):  # shown as the fields above and below
                initial[name] = getattr(campaign, name)
        for key in KPI_KEYS:
            initial[f"kpi_{key}"] = campaign.kpi_targets.get(key)
        return initial


class IdeaForm(forms.Form):
    brand = forms.ModelChoiceField(queryset=None, label=_("Brand"))
    kind = forms.ChoiceField(label=_("Kind"), choices=IdeaKind.choices)
    title = forms.CharField(label=_("Idea"), max_length=200)
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mention a teammate with @ and the start of their email address."),
    )
    # The team's choice; a client's comment is always shared (the service decides, not this).
    shared = forms.BooleanField(
        label=_("Share with the client"),
        required=False,
        help_text=_("Unticked, only the agency's team reads it."),
    )

    def visibility(self) -> str:
        return CommentVisibility.EXTERNAL if self.cleaned_data.get("shared") else ""


class MediaUploadForm(forms.Form):
    brand = forms.ModelChoiceField(queryset=None, label=_("Brand"))
    file = forms.FileField(label=_("File"))
    alt_text = forms.CharField(
        label=_("Alt text"),
        required=False,
        max_length=1500,
        help_text=_("What the image shows, for people who cannot see it."),
    )

    def __init__(self, *args, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands


class ImportForm(forms.Form):
    brand = forms.ModelChoiceField(queryset=None, label=_("Brand"))
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: text, accounts (handles separated by |), time (YYYY-MM-DD HH:MM in the "
            "brand's time zone), media_url, first_comment, campaign (its name)."
        ),
    )

    def __init__(self, *args, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands


class PolicyForm(forms.Form):
    approval_mode = forms.ChoiceField(label=_("Approval"), choices=ApprovalMode.choices)
    duplicate_window_hours = forms.IntegerField(
        label=_("Flag the same text on the same account within (hours)"),
        min_value=0,
        max_value=24 * 60,
    )


class ShareLinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ShareLinkKind.choices)
    label = forms.CharField(label=_("For whom"), max_length=120, required=False)
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=365,
        initial=30,
        required=False,
        help_text=_("Approval links only; calendar feeds last until revoked."),
    )


class CalendarFilterForm(forms.Form):
    brand = forms.ModelChoiceField(queryset=None, required=False, label=_("Brand"))
    campaign = forms.ModelChoiceField(queryset=None, required=False, label=_("Campaign"))
    network = forms.ChoiceField(
        choices=[("", _("All networks")), *NETWORK_CHOICES], required=False, label=_("Network")
    )
    state = forms.ChoiceField(
        choices=[("", _("All states")), *PostState.choices], required=False, label=_("State")
    )
    author = forms.ModelChoiceField(queryset=None, required=False, label=_("Author"))
    view = forms.ChoiceField(
        choices=[("month", _("Month")), ("week", _("Week")), ("list", _("List"))],
        required=False,
    )
    day = DatePickerField(required=False)

    def __init__(self, *args, brands, campaigns, authors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands
        self.fields["campaign"].queryset = campaigns
        self.fields["author"].queryset = authors
        self.fields["brand"].empty_label = _("All brands")
        self.fields["campaign"].empty_label = _("All campaigns")
        self.fields["author"].empty_label = _("All authors")

    def valid_data(self) -> dict:
        """The filters as given, or none at all when any is invalid (the unfiltered calendar)."""
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    def post_filters(self) -> dict:
        """The posts_filtered() arguments these filters ask for."""
        data = self.valid_data()
        return {
            "brand_id": data["brand"].pk if data.get("brand") else None,
            "campaign_id": data["campaign"].pk if data.get("campaign") else None,
            "network": data.get("network") or None,
            "state": data.get("state") or None,
            "author_id": data["author"].pk if data.get("author") else None,
        }


class RescheduleForm(forms.Form):
    date = forms.DateField(validators=[validate_supported_date])
    time = forms.TimeField(required=False)
