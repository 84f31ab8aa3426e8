"""Dashboard forms of listening and crises: they parse input; services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.datetimes import DatePickerField
from networks.registry import NETWORK_CHOICES
from reputation.models.crises import CrisisRule
from reputation.models.mentions import AbuseLabel, MentionLanguage, SentimentLabel
from reputation.models.queries import QUERY_LANGUAGES
from reputation.models.sources import SourceKind

_LANGUAGE_CHOICES = [
    (code, name) for code, name in MentionLanguage.choices if code in QUERY_LANGUAGES
]


def _control(widget):
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    widget.attrs.setdefault("class", css)
    return widget


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _control(field.widget)


class ListeningQueryForm(_Styled):
    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=120)
    expression = forms.CharField(
        label=_("Expression"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_(
            'Keywords and "exact phrases", combined with AND, OR, NOT and parentheses. '
            "Case and accents do not matter."
        ),
    )
    excluded_words = forms.CharField(
        label=_("Excluded words"),
        required=False,
        help_text=_("Separated by commas: a mention containing one of them is ignored."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=_LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every language."),
    )
    is_competitor = forms.BooleanField(label=_("This query follows a competitor"), required=False)
    competitor_name = forms.CharField(label=_("Competitor name"), max_length=120, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [(b.pk, b.name) for b in brands]

    @staticmethod
    def initial_from(query):
        return {
            "brand": query.brand_id,
            "name": query.name,
            "expression": query.expression,
            "excluded_words": ", ".join(query.excluded_words),
            "languages": query.languages,
            "is_competitor": query.is_competitor,
            "competitor_name": query.competitor_name,
            "active": query.active,
        }


class SourceForm(_Styled):
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices, initial=SourceKind.RSS)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    url = forms.URLField(
        label=_("Feed address"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=_(
            "The feed's address, or a site's home page: the feed it announces is found. "
            "For a Discourse forum, the forum's address."
        ),
    )
    brand = forms.TypedChoiceField(
        label=_("Brand"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty for a feed that may mention any of your brands."),
    )
    network = forms.ChoiceField(label=_("Network"), choices=[("", "—")], required=False)
    search_terms = forms.CharField(
        label=_("Search terms"),
        max_length=500,
        required=False,
        help_text=_("For a network, a Reddit or a forum search (optional for a forum)."),
    )
    poll_interval_minutes = forms.IntegerField(
        label=_("Poll every (minutes)"), min_value=5, max_value=1440, initial=15
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, brands, **kwargs):
        from reputation.services.sources import listening_networks

        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("All brands")), *[(b.pk, b.name) for b in brands]]
        # The networks whose adapters can search or read comments: asked, never listed here.
        readable = {
            *listening_networks(SourceKind.NETWORK_SEARCH),
            *listening_networks(SourceKind.OWNED_COMMENTS),
        }
        self.fields["network"].choices = [
            ("", "—"),
            *[(value, name) for value, name in NETWORK_CHOICES if value in readable],
        ]


class SourceEditForm(_Styled):
    name = forms.CharField(label=_("Name"), max_length=200)
    url = forms.URLField(
        label=_("Feed address"), max_length=1000, required=False, assume_scheme="https"
    )
    search_terms = forms.CharField(label=_("Search terms"), max_length=500, required=False)
    poll_interval_minutes = forms.IntegerField(
        label=_("Poll every (minutes)"), min_value=5, max_value=1440
    )
    active = forms.BooleanField(label=_("Active"), required=False)


class OpmlImportForm(_Styled):
    file = forms.FileField(label=_("OPML file"))
    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("All brands")), *[(b.pk, b.name) for b in brands]]


class MentionFilterForm(_Styled):
    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int, required=False, empty_value=None)
    query = forms.TypedChoiceField(label=_("Query"), coerce=int, required=False, empty_value=None)
    source = forms.TypedChoiceField(label=_("Source"), coerce=int, required=False, empty_value=None)
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), choices=[("", _("Any")), *SentimentLabel.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any")), *MentionLanguage.choices], required=False
    )
    abuse = forms.ChoiceField(
        label=_("Abuse"),
        choices=[("", _("Any")), ("any", _("Some abuse label")), *AbuseLabel.choices],
        required=False,
    )
    since = DatePickerField(label=_("From"), required=False)
    until = DatePickerField(label=_("To"), required=False)
    author = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Set by the link of a "mention assigned to you" alert: that person's mentions.
    assigned_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=40)
    reviewed = forms.ChoiceField(
        label=_("Reviewed"),
        choices=[("", _("Any")), ("no", _("To review")), ("yes", _("Reviewed"))],
        required=False,
    )

    def __init__(self, *args, brands, queries, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("All brands")), *[(b.pk, b.name) for b in brands]]
        self.fields["query"].choices = [
            ("", _("All queries")),
            *[(q.pk, f"{q.brand.name} · {q.name}") for q in queries],
        ]
        self.fields["source"].choices = [
            ("", _("All sources")),
            *[(s.pk, s.name) for s in sources],
        ]


class TriageForm(forms.Form):
    tags = forms.CharField(required=False, max_length=1000)
    assigned_to = forms.CharField(required=False)
    reviewed = forms.CharField(required=False)


# --- Crises ---------------------------------------------------------------------------------


class ResolveForm(forms.Form):
    summary = forms.CharField(
        label=_("Closing summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, what was done, what to watch."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}))


class CrisisRuleForm(forms.ModelForm):
    extra_trigger_words = forms.CharField(
        label=_("Extra trigger words"),
        required=False,
        help_text=_("Comma-separated, in any language."),
    )

    class Meta:
        model = CrisisRule
        fields = [
            "active",
            "volume_enabled",
            "negative_volume_enabled",
            "negative_share_enabled",
            "trigger_words_enabled",
            "high_reach_enabled",
            "p_value",
            "min_volume_short",
            "share_floor",
            "share_jump",
            "trigger_min_mentions",
            "high_reach_followers",
            "cooldown_hours",
        ]

    def clean_extra_trigger_words(self):
        raw = self.cleaned_data.get("extra_trigger_words") or ""
        return [word.strip() for word in raw.split(",") if word.strip()]
