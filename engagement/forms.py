"""The inbox's filter form (every field optional; a value it does not know is ignored) and the
forms of the moderation rules and of a brand's VIP and blocked authors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagement.models import (
    AuthorList,
    ConversationKind,
    ConversationStatus,
    MatchMode,
    Priority,
    RuleAction,
)
from engagement.selectors.inbox import ABUSE_ANY, ASSIGNEE_NONE
from networks.registry import NETWORK_CHOICES
from reputation.models.mentions import AbuseLabel, MentionLanguage, SentimentLabel

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
    account = _select(
        forms.TypedChoiceField(label=_("Account"), coerce=int, required=False, empty_value=None)
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

    abuse = _select(
        forms.ChoiceField(
            label=_("Abuse"),
            choices=[ANY, (ABUSE_ANY, _("Any abuse")), *AbuseLabel.choices],
            required=False,
        )
    )
    has_link = forms.BooleanField(
        label=_("Has a link"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    vip_author = forms.BooleanField(
        label=_("VIP author"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, brands, accounts, team, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("All brands")), *[(b.pk, b.name) for b in brands]]
        self.fields["account"].choices = [
            ("", _("All accounts")),
            *[(a.pk, f"{a.handle} ({a.get_network_display()})") for a in accounts],
        ]
        self.fields["assignee"].choices = [
            ANY,
            (ASSIGNEE_NONE, _("Nobody")),
            *[(str(m.user_id), m.user.full_name or m.user.email) for m in team],
        ]
        self.fields["label"].choices = [ANY, *[(label.pk, label.name) for label in labels]]


# --- Moderation rules ------------------------------------------------------------------------
# The forms show the fields and bind what was typed; the rules are checked once, by the service
# (engagement.services.moderation.rules.rule_clean), for the pages and the API alike.


def _text(label, *, number=False, help_text=""):
    widget = forms.NumberInput if number else forms.TextInput
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=widget(attrs={"class": "form-control", "dir": "auto"}),
    )


def _boxes(label, choices):
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
    )


def _box(label):
    return forms.BooleanField(
        label=label, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


def _pick(label, choices=()):
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ModerationRuleForm(forms.Form):
    name = _text(_("Name"))
    enabled = _box(_("Switched on (try a dry run first)"))
    match = forms.ChoiceField(
        label=_("The rule applies when the message meets"),
        choices=MatchMode.choices,
        initial=MatchMode.ALL,
        required=False,  # "all" unless told (the service's default)
        widget=forms.RadioSelect,
    )
    expression = _text(
        _("Keywords"),
        help_text=_(
            'Words and "exact phrases" with AND, OR, NOT and parentheses, as in listening.'
        ),
    )
    languages = _boxes(_("Language or script"), MentionLanguage.choices)
    sentiments = _boxes(_("Sentiment"), SentimentLabel.choices)
    abuse_label = _pick(_("Abuse category"), [ANY, *AbuseLabel.choices])
    abuse_min_score = _text(
        _("Minimum abuse score (0.5 to 1)"), number=True, help_text=_("0.5 unless told.")
    )
    kinds = _boxes(_("Item type"), ConversationKind.choices)
    networks = _boxes(_("Network"), NETWORK_CHOICES)
    has_link = _box(_("Contains a link"))
    has_email = _box(_("Contains an e-mail address"))
    has_phone = _box(_("Contains a phone number"))
    min_words = _text(_("At least this many words"), number=True)
    max_words = _text(_("At most this many words"), number=True)
    author_list = _pick(_("Author on the brand's list"), [ANY, *AuthorList.choices])
    min_followers = _text(_("Author has at least this many followers"), number=True)
    first_message = _box(_("First message from this author"))
    actions = _boxes(_("Actions"), RuleAction.choices)
    assignee = _pick(_("Assign to"))
    label = _pick(_("Label to add"))
    priority = _pick(_("Priority to set"), [("", "—"), *Priority.choices])
    saved_reply = _pick(_("Saved reply to send"))
    notify_user = _pick(_("Person to notify"))

    def __init__(self, *args, team, labels, saved_replies=(), **kwargs):
        super().__init__(*args, **kwargs)
        people = [("", "—"), *[(str(m.user_id), m.user.full_name or m.user.email) for m in team]]
        self.fields["assignee"].choices = people
        self.fields["notify_user"].choices = people
        self.fields["label"].choices = [("", "—"), *[(str(lb.pk), lb.name) for lb in labels]]
        self.fields["saved_reply"].choices = [
            ("", "—"),
            *[(str(r.pk), f"{r.title} ({r.get_language_display()})") for r in saved_replies],
        ]


RULE_LIST_FIELDS = ("languages", "sentiments", "kinds", "networks", "actions")


def rule_form_data(post) -> dict:
    """What the rule form posted, as the service takes it (lists for the lists)."""
    data = {name: post.get(name, "") for name in ModerationRuleForm.base_fields}
    data |= {name: post.getlist(name) for name in RULE_LIST_FIELDS}
    for flag in ("enabled", "has_link", "has_email", "has_phone", "first_message"):
        data[flag] = flag in post
    return data


class BrandAuthorForm(forms.Form):
    list = forms.ChoiceField(
        label=_("List"),
        choices=AuthorList.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    network = forms.ChoiceField(
        label=_("Network"),
        choices=NETWORK_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    handle = forms.CharField(
        label=_("Handle"), max_length=201, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
