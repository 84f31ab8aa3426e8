"""Dashboard forms of the tenancy app. Forms validate shape; services enforce the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AgencySignupForm(forms.Form):
    """Extra fields on allauth's sign-up: whoever signs up creates an agency and owns it."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    agency_name = forms.CharField(label=_("Agency name"), max_length=120)

    def signup(self, request, user):
        from agency.services import agency_create

        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])
        agency = agency_create(owner=user, name=self.cleaned_data["agency_name"])
        request.session["active_agency_id"] = agency.pk
