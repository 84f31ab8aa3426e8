"""The inbox's filter form: every field optional; a value it does not know is ignored."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.models import ConversationKind, ConversationStatus, Priority
from engagement.selectors.inbox import ASSIGNEE_NONE
from networks.registry import NETWORK_CHOICES
from reputation.models.mentions import MentionLanguage, SentimentLabel

ANY = ("", _("Any"))


def _select(field):
    field.widget.attrs.setdefault("class", "form-select form-select-sm")
    return field


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "dir": "auto"}),
    )
    brand = _select(
        forms.TypedChoiceField(label=_("Brand"), coerce=int, required=False, empty_value=None)
    )
    network = _select(
        forms.ChoiceField(label=_("Network"), choices=[ANY, *NETWORK_CHOICES], required=False)
    )
    kind = _select(
        forms.ChoiceField(label=_("Type"), choices=[ANY, *ConversationKind.choices], required=False)
    )
    status = _select(
        forms.ChoiceField(
            label=_("Status"), choices=[ANY, *ConversationStatus.choices], required=False
        )
    )
    assignee = _select(forms.ChoiceField(label=_("Assigned to"), required=False))
    sentiment = _select(
        forms.ChoiceField(
            label=_("Sentiment"), choices=[ANY, *SentimentLabel.choices], required=False
        )
    )
    language = _select(
        forms.ChoiceField(
            label=_("Language"), choices=[ANY, *MentionLanguage.choices], required=False
        )
    )
    label = _select(
        forms.TypedChoiceField(label=_("Label"), coerce=int, required=False, empty_value=None)
    )
    priority = _select(
        forms.TypedChoiceField(
            label=_("Priority"),
            coerce=int,
            required=False,
            empty_value=None,
            choices=[ANY, *Priority.choices],
        )
    )

    def __init__(self, *args, brands, team, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("All brands")), *[(b.pk, b.name) for b in brands]]
        self.fields["assignee"].choices = [
            ANY,
            (ASSIGNEE_NONE, _("Nobody")),
            *[(str(m.user_id), m.user.full_name or m.user.email) for m in team],
        ]
        self.fields["label"].choices = [ANY, *[(label.pk, label.name) for label in labels]]
