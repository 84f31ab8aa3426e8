"""Dashboard forms of the tenancy app. Forms validate shape; services enforce the rules."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.datetimes import DatePickerField
from agency.models import CLIENT_ROLES, ApiKeyScope, Language, ReportFont, Role


class AgencySignupForm(forms.Form):
    """Extra fields on allauth's sign-up: whoever signs up creates an agency and owns it."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    agency_name = forms.CharField(label=_("Agency name"), max_length=120)

    def signup(self, request, user):
        from agency.services.agencies import agency_create

        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
        agency = agency_create(owner=user, name=self.cleaned_data["agency_name"])
        request.session["active_agency_id"] = agency.pk


# --- Dashboard forms ------------------------------------------------------------------------
# They check the shape of the input (types, required fields, choices the actor may use); the
# services decide what is allowed and say why, and views attach those errors to the fields.

LOGO_MAX_BYTES = 2 * 1024 * 1024


def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone, with the market's usual ones first."""
    first = ["Africa/Casablanca", "Europe/Paris", "UTC"]
    rest = sorted(zoneinfo.available_timezones() - set(first))
    return [(zone, zone.replace("_", " ")) for zone in first + rest]


class AgencyCreateForm(forms.Form):
    name = forms.CharField(label=_("Agency name"), max_length=120)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)


class AgencySettingsForm(forms.Form):
    name = forms.CharField(label=_("Agency name"), max_length=120)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        help_text=_("Used for emails sent on behalf of the agency, such as invitations."),
    )
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, 2 MB at most."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    primary_colour = forms.RegexField(
        label=_("Brand colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        error_messages={"invalid": _("Enter a colour as #RRGGBB, for example #1f6feb.")},
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=_("Under white text in the client portal and reports: pick a dark enough one."),
    )
    accent_colour = forms.RegexField(
        label=_("Accent colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        required=False,
        error_messages={"invalid": _("Enter a colour as #RRGGBB, for example #1f6feb.")},
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=_("Buttons and highlights, also under white text."),
    )
    white_label = forms.BooleanField(
        label=_("White label"),
        required=False,
        help_text=_("The client portal and reports show only the agency's name, not ours."),
    )
    report_font = forms.ChoiceField(
        label=_("Report font"), choices=ReportFont.choices, required=False
    )
    portal_domain = forms.CharField(
        label=_("Portal domain"),
        required=False,
        max_length=253,
        help_text=_(
            "Your own address for the client portal, for example portal.example.com; point it "
            "at this service first (docs/setup.md). Leave empty to use ours."
        ),
    )
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication"),
        required=False,
        help_text=_("Members without an authenticator app are asked to set one up first."),
    )

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo is larger than 2 MB; choose a smaller image."))
        return logo

    def changes(self) -> dict:
        """The fields for agency_update: an untouched logo is left out, a cleared one is ''."""
        data = dict(self.cleaned_data)
        # Fields a page of an older form did not send keep their values.
        for optional in ("accent_colour", "report_font"):
            if not data.get(optional):
                data.pop(optional, None)
        logo = data.pop("logo")
        if logo is False:
            data["logo"] = ""
        elif logo is not None and hasattr(logo, "content_type"):
            data["logo"] = logo
        return data


class BrandChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Brands"))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("Client approvers and viewers see only the brands ticked here.")
        )
        super().__init__(queryset=None, **kwargs)


class _RoleAndBrandsForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    brands = BrandChoiceField()

    def __init__(self, *args, grantable_roles, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in grantable_roles]
        # Lets the page show the brand boxes only when a client role is chosen.
        self.fields["role"].widget.attrs["data-client-roles"] = ",".join(sorted(CLIENT_ROLES))
        self.fields["brands"].queryset = brands

    def brand_ids(self) -> list[int]:
        return [brand.pk for brand in self.cleaned_data.get("brands") or []]


class MembershipRoleForm(_RoleAndBrandsForm):
    pass


class InvitationForm(_RoleAndBrandsForm):
    email = forms.EmailField(label=_("Email address"))

    field_order = ["email", "role", "brands"]


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say what will use the key, for example “CRM sync”."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiKeyScope.choices)


class AuditFilterForm(forms.Form):
    verb = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"list": "audit-verbs"}),
        help_text=_("The start of an action name, for example “brand.” or “invitation.created”."),
    )
    actor = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    since = DatePickerField(label=_("From"), required=False)
    until = DatePickerField(label=_("To"), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Anyone"))] + [
            (m.user_id, m.user.get_full_name()) for m in members
        ]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned


class InvitationSignupForm(forms.Form):
    """The invited person's new account: the address comes from the invitation."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("password")
            and cleaned.get("password_again")
            and cleaned["password"] != cleaned["password_again"]
        ):
            self.add_error("password_again", _("The two passwords are not the same."))
        return cleaned


class SignInLinkRequestForm(forms.Form):
    """A client's address, to e-mail them a sign-in link."""

    email = forms.EmailField(label=_("Email address"), max_length=254)
