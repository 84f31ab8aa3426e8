"""Client brands: what the agency speaks for."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from agency.models import validate_time_zone
from agency.tenancy import TenantModel


class ContentLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    DARIJA = "ary", _("Darija (Moroccan Arabic)")


def validate_languages(value) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Languages must be a list of language codes."))
    unknown = sorted(set(value) - set(ContentLanguage.values))
    if unknown:
        raise ValidationError(
            _("Unknown language code(s): %(codes)s. Use fr, en, ar or ary."),
            params={"codes": ", ".join(unknown)},
        )


class Brand(TenantModel):
    """A client brand the agency manages. Archived brands keep their history but are hidden."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60)
    industry = models.CharField(_("industry"), max_length=80, blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[validate_languages]
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Africa/Casablanca", validators=[validate_time_zone]
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        constraints = [
            models.UniqueConstraint(fields=["agency", "slug"], name="brand_slug_unique_per_agency"),
            models.UniqueConstraint("agency", Lower("name"), name="brand_name_unique_per_agency"),
        ]
        indexes = [models.Index(fields=["agency", "archived_at", "name"], name="brand_agency_list")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
