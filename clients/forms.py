"""Dashboard forms for brands. They check the input's shape; clients.services keeps the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.forms import time_zone_choices
from clients.models import ContentLanguage


class BrandForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and hyphens. Left empty, it is made from the name."),
    )
    industry = forms.CharField(label=_("Industry"), max_length=80, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages of its audience"),
        choices=ContentLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def initial_from(cls, brand) -> dict:
        return {field: getattr(brand, field) for field in cls.base_fields}
