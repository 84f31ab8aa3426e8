"""Dashboard forms for a brand's profile and for connecting accounts.

They turn text areas into lists (one entry per line or comma-separated); clients.services keeps
the rules (uniqueness, age range, hashtags) and its errors come back on the named fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import ContentLanguage
from networks.registry import NETWORK_CHOICES


def _split(text: str, *, lines_only: bool = False) -> list[str]:
    parts = text.splitlines() if lines_only else text.replace(",", "\n").splitlines()
    return [part.strip() for part in parts if part.strip()]


class ListField(forms.CharField):
    """A text area holding a list: one entry per line (or separated by commas)."""

    def __init__(self, *, lines_only: bool = False, **kwargs):
        self.lines_only = lines_only
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        return _split(super().to_python(value) or "", lines_only=self.lines_only)


class GuidelinesForm(forms.Form):
    tone_of_voice = forms.CharField(
        label=_("Tone of voice"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the brand speaks: warm or formal, tu or vous, emojis or not…"),
    )
    words_to_use = ListField(
        label=_("Words to use"), help_text=_("One per line, or separated by commas.")
    )
    words_to_avoid = ListField(
        label=_("Words to avoid"), help_text=_("One per line, or separated by commas.")
    )
    hashtag_sets = forms.CharField(
        label=_("Hashtag sets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One set per line: a name, a colon, then its hashtags. "
            "Example: Ramadan: #ramadan #ftour"
        ),
    )
    signatures = ListField(
        label=_("Signatures"), lines_only=True, help_text=_("One signature per line.")
    )

    @staticmethod
    def hashtag_sets_as_text(sets: list) -> str:
        return "\n".join(f"{entry['name']}: {' '.join(entry['hashtags'])}" for entry in sets)

    @classmethod
    def initial_from(cls, guidelines) -> dict:
        return {
            "tone_of_voice": guidelines.tone_of_voice,
            "words_to_use": guidelines.words_to_use,
            "words_to_avoid": guidelines.words_to_avoid,
            "hashtag_sets": cls.hashtag_sets_as_text(guidelines.hashtag_sets),
            "signatures": guidelines.signatures,
        }

    def clean_hashtag_sets(self) -> list:
        sets = []
        for number, line in enumerate(
            _split(self.cleaned_data["hashtag_sets"], lines_only=True), 1
        ):
            name, colon, tags = line.partition(":")
            if not colon or not name.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: write the set's name, a colon, then its hashtags."),
                    params={"number": number},
                )
            sets.append({"name": name.strip(), "hashtags": tags.replace(",", " ").split()})
        return sets


class LogoForm(forms.Form):
    # A FileField, not an ImageField: the service checks the image and says why it refuses.
    logo = forms.FileField(label=_("Logo"), help_text=_("PNG, JPEG or WebP, at most 2 MB."))


class PersonaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    language = forms.ChoiceField(label=_("Language"), choices=ContentLanguage.choices)
    age_min = forms.IntegerField(
        label=_("Minimum age"), required=False, min_value=13, max_value=100
    )
    age_max = forms.IntegerField(
        label=_("Maximum age"), required=False, min_value=13, max_value=100
    )
    interests = ListField(label=_("Interests"), help_text=_("Separated by commas."))
    description = forms.CharField(
        label=_("Description"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The maximum age must be at least the minimum age."))
        return data


class CompetitorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=300, assume_scheme="https"
    )
    keywords = ListField(label=_("Keywords"), help_text=_("Separated by commas."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for network, label in NETWORK_CHOICES:
            self.fields[f"handle_{network}"] = forms.CharField(
                label=_("Handle on %(network)s") % {"network": label},
                max_length=100,
                required=False,
            )

    def handle_fields(self):
        return [self[f"handle_{network}"] for network, _label in NETWORK_CHOICES]

    @classmethod
    def initial_from(cls, competitor) -> dict:
        initial = {
            "name": competitor.name,
            "website": competitor.website,
            "keywords": competitor.keywords,
        }
        for network, handle in competitor.handles.items():
            initial[f"handle_{network}"] = handle
        return initial

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "website": data["website"],
            "keywords": data["keywords"],
            "handles": {
                network: data[f"handle_{network}"]
                for network, _label in NETWORK_CHOICES
                if data.get(f"handle_{network}")
            },
        }


class ClientContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("Email address"))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    role = forms.CharField(label=_("Role at the client"), max_length=80, required=False)
    is_approver = forms.BooleanField(label=_("Approves content"), required=False)


class MastodonConnectForm(forms.Form):
    instance_url = forms.CharField(
        label=_("Mastodon server"),
        max_length=200,
        help_text=_("The address of the server the account lives on, e.g. mastodon.social."),
    )


class BlueskyConnectForm(forms.Form):
    identifier = forms.CharField(
        label=_("Handle or email"), max_length=253, help_text=_("For example cafe.bsky.social.")
    )
    app_password = forms.CharField(
        label=_("App password"),
        max_length=64,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Create one in Bluesky: Settings → Privacy and security → App passwords. It looks "
            "like xxxx-xxxx-xxxx-xxxx. Never your account password."
        ),
    )
    pds = forms.URLField(
        label=_("Server (PDS)"),
        required=False,
        assume_scheme="https",
        help_text=_("Leave empty for accounts hosted by Bluesky (bsky.social)."),
    )
