"""Dashboard form of webhook endpoints. It validates shape; the services enforce the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.events import WebhookEvent


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address"),
        max_length=1000,
        help_text=_("An https:// address of your system that accepts POST requests."),
        widget=forms.URLInput(attrs={"placeholder": "https://crm.example.ma/hooks/agency"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )
