"""Campaigns (with their audiences) and ideas, the planning side of a brand's content."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.tenancy import TenantModel

currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO currency code."))


class Objective(models.TextChoices):
    AWARENESS = "awareness", _("Awareness")
    ENGAGEMENT = "engagement", _("Engagement")
    TRAFFIC = "traffic", _("Traffic")
    LEADS = "leads", _("Leads")
    COMMUNITY_RECRUITMENT = "community_recruitment", _("Community recruitment")


class RecruitmentChannel(models.TextChoices):
    PARTNERSHIPS = "partnerships", _("Partnerships")
    REFERRAL = "referral", _("Referral")
    EMAILING = "emailing", _("E-mailing")


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")


KPI_KEYS = ("reach", "engagement_rate", "followers_gained", "leads", "clicks")


def validate_kpi_targets(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("KPI targets map a KPI to a number."))
    unknown = sorted(set(value) - set(KPI_KEYS))
    if unknown:
        raise ValidationError(
            _("Unknown KPI(s): %(kpis)s. Use: %(known)s."),
            params={"kpis": ", ".join(unknown), "known": ", ".join(KPI_KEYS)},
        )
    for number in value.values():
        if not isinstance(number, int | float) or isinstance(number, bool) or number < 0:
            raise ValidationError(_("Each KPI target must be a positive number."))


def validate_tags(value) -> None:
    if not isinstance(value, list) or not all(
        isinstance(t, str) and 0 < len(t) <= 50 for t in value
    ):
        raise ValidationError(_("Tags must be a list of words of at most 50 characters."))
    if len(value) > 30:
        raise ValidationError(_("At most 30 tags."))


# A campaign's own fields, the ones its services take: the form and the API serializer list
# theirs from this tuple, in this order.
CAMPAIGN_FIELDS = (
    "name",
    "objective",
    "recruitment_channel",
    "starts_on",
    "ends_on",
    "budget",
    "currency",
    "kpi_targets",
    "status",
    "tags",
    "utm_enabled",
    "utm_source",
    "utm_medium",
    "utm_campaign",
)


class Campaign(TenantModel):
    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=150)
    objective = models.CharField(_("objective"), max_length=30, choices=Objective.choices)
    recruitment_channel = models.CharField(
        _("recruitment channel"),
        max_length=20,
        choices=RecruitmentChannel.choices,
        blank=True,
        help_text=_("For community recruitment: partnerships, referral or e-mailing."),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    budget = models.DecimalField(
        _("budget"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="MAD", validators=[currency_validator]
    )
    kpi_targets = models.JSONField(
        _("KPI targets"), default=dict, blank=True, validators=[validate_kpi_targets]
    )
    personas = models.ManyToManyField(
        "clients.Persona",
        blank=True,
        related_name="campaigns",
        verbose_name=_("audiences"),
        through="CampaignPersona",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED
    )
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[validate_tags])
    utm_enabled = models.BooleanField(_("add UTM parameters to links"), default=True)
    utm_source = models.CharField(
        _("utm_source"),
        max_length=100,
        default="{network}",
        help_text=_("{network} is replaced by the network of each variant."),
    )
    utm_medium = models.CharField(_("utm_medium"), max_length=100, default="social")
    utm_campaign = models.CharField(
        _("utm_campaign"),
        max_length=100,
        blank=True,
        help_text=_("Empty: derived from the campaign's name."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(objective__in=Objective.values), name="campaign_objective_known"
            ),
        ]
        indexes = [models.Index(fields=["agency", "brand", "-starts_on"], name="campaign_brand")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The campaign must end on or after its start.")
        if self.recruitment_channel and self.objective != Objective.COMMUNITY_RECRUITMENT:
            errors["recruitment_channel"] = _(
                "A recruitment channel applies to community recruitment campaigns only."
            )
        if errors:
            raise ValidationError(errors)


class CampaignPersona(TenantModel):
    """A campaign's target audience (the link table carries agency_id like every tenant row)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    persona = models.ForeignKey("clients.Persona", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("campaign audience")
        verbose_name_plural = _("campaign audiences")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "campaign", "persona"], name="campaign_persona_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.persona_id}"


class IdeaKind(models.TextChoices):
    DEBATE = "debate", _("Debate topic")
    UGC = "ugc", _("User-generated content prompt")
    CONTEST = "contest", _("Contest")
    OTHER = "other", _("Other")


class IdeaStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("idea status", "Open")
    USED = "used", _("Turned into a post")
    DROPPED = "dropped", _("Dropped")


class Idea(TenantModel):
    """A brand's backlog entry, turned into a draft post when its time comes."""

    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="ideas")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IdeaKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.OPEN
    )
    post = models.ForeignKey(
        "campaigns.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [models.Index(fields=["agency", "brand", "status"], name="idea_backlog")]

    def __str__(self) -> str:
        return self.title
