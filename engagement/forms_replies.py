"""Forms of the saved replies and of a brand's reply settings. The variables are checked by the
model's ``clean`` (engagement.services.saved_replies), so a bad one is this form's error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.models import BrandReplySettings, SavedReply


class SavedReplyForm(forms.ModelForm):
    class Meta:
        model = SavedReply
        fields = ["brand", "language", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5, "dir": "auto"})}
        help_texts = {
            "body": _(
                "Variables: {author_first_name}, {author_name}, {brand}, {agent_first_name}."
            ),
            "language": _("“Unknown” offers it in every conversation of the brand."),
        }

    def __init__(self, *args, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands
        self.fields["brand"].empty_label = None


class ReplySettingsForm(forms.ModelForm):
    class Meta:
        model = BrandReplySettings
        fields = ["signature", "replies_need_approval", "clients_may_reply"]

    def __init__(self, *args, can_switch: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_switch:
            # Only a manager decides whether juniors' replies wait for a manager.
            for name in ("replies_need_approval", "clients_may_reply"):
                self.fields[name].disabled = True
