"""What to look for: a brand's listening queries, and the languages they may be limited to."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from agency.tenancy import TenantModel
from reputation.models.mentions import MentionLanguage

QUERY_LANGUAGES = [c for c in MentionLanguage.values if c != MentionLanguage.UNKNOWN]


def validate_query_languages(value) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Languages must be a list of language codes."))
    unknown = sorted(set(value) - set(QUERY_LANGUAGES))
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s. Use fr, en, ar, ary or ary-Latn."),
            params={"codes": ", ".join(unknown)},
        )


def validate_word_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ValidationError(_("Excluded words must be a list of words."))


# A query's own fields, the ones its services change (besides its brand): the API serializer
# lists its fields from this tuple, in this order.
QUERY_FIELDS = (
    "name",
    "expression",
    "excluded_words",
    "languages",
    "is_competitor",
    "competitor_name",
    "active",
)


class ListeningQuery(TenantModel):
    """What to look for about a brand (or, with ``is_competitor``, about one of its rivals).

    ``expression`` is keywords, "exact phrases", AND / OR / NOT and parentheses; see
    reputation.expressions for the grammar. Changing any query changes ``updated_at``, which is
    what tells every worker to rebuild its matcher.
    """

    brand = models.ForeignKey(
        "clients.Brand", on_delete=models.CASCADE, related_name="listening_queries"
    )
    name = models.CharField(_("name"), max_length=120)
    expression = models.TextField(_("expression"), max_length=2000)
    excluded_words = models.JSONField(
        _("excluded words"), default=list, blank=True, validators=[validate_word_list]
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[validate_query_languages],
        help_text=_("Leave empty for every language."),
    )
    is_competitor = models.BooleanField(_("competitor"), default=False)
    competitor_name = models.CharField(_("competitor name"), max_length=120, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("listening query")
        verbose_name_plural = _("listening queries")
        constraints = [
            models.UniqueConstraint(
                "agency", "brand", Lower("name"), name="listening_query_name_unique_per_brand"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "active", "updated_at"], name="lq_agency_active"),
            models.Index(fields=["agency", "brand", "name"], name="lq_agency_brand"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def voice(self) -> str:
        """Whose voice a match counts for: "" for the brand itself, else the competitor."""
        return (self.competitor_name or self.name) if self.is_competitor else ""
