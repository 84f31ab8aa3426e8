"""Client brands: what the agency speaks for."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.models import validate_time_zone
from agency.tenancy import TenantModel
from clients.validators import (
    validate_handles,
    validate_hashtag_sets,
    validate_signatures,
    validate_word_list,
)
from core.crypto import encrypted_property
from networks.registry import NETWORK_CHOICES


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


LOGO_MAX_BYTES = 2 * 1024 * 1024


def validate_logo_size(value) -> None:
    if value and getattr(value, "size", 0) > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s MB; the limit is %(limit)s MB."),
            params={
                "size": f"{value.size / 1024 / 1024:.1f}",
                "limit": LOGO_MAX_BYTES // 1024 // 1024,
            },
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
    logo = models.ImageField(
        _("logo"), upload_to="brand-logos/%Y/", blank=True, validators=[validate_logo_size]
    )
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


# --- Brand profile ---------------------------------------------------------------------------


class BrandGuidelines(TenantModel):
    """How the brand speaks: one row per brand, created on first edit."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="guidelines")
    tone_of_voice = models.TextField(_("tone of voice"), blank=True, max_length=2000)
    words_to_use = models.JSONField(
        _("words to use"), default=list, blank=True, validators=[validate_word_list]
    )
    words_to_avoid = models.JSONField(
        _("words to avoid"), default=list, blank=True, validators=[validate_word_list]
    )
    hashtag_sets = models.JSONField(
        _("hashtag sets"), default=list, blank=True, validators=[validate_hashtag_sets]
    )
    signatures = models.JSONField(
        _("signatures"), default=list, blank=True, validators=[validate_signatures]
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("brand guidelines")
        verbose_name_plural = _("brand guidelines")
        constraints = [
            models.UniqueConstraint(fields=["agency", "brand"], name="guidelines_one_per_brand")
        ]

    def __str__(self) -> str:
        return f"Guidelines of brand {self.brand_id}"


MIN_AUDIENCE_AGE = 13  # the networks' minimum age
MAX_AUDIENCE_AGE = 100


class Persona(TenantModel):
    """A target audience of the brand."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(_("name"), max_length=80)
    language = models.CharField(
        _("language"), max_length=3, choices=ContentLanguage.choices, default=ContentLanguage.FRENCH
    )
    age_min = models.PositiveSmallIntegerField(
        _("minimum age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_AUDIENCE_AGE), MaxValueValidator(MAX_AUDIENCE_AGE)],
    )
    age_max = models.PositiveSmallIntegerField(
        _("maximum age"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_AUDIENCE_AGE), MaxValueValidator(MAX_AUDIENCE_AGE)],
    )
    interests = models.JSONField(
        _("interests"), default=list, blank=True, validators=[validate_word_list]
    )
    description = models.TextField(_("description"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "agency", "brand", Lower("name"), name="persona_name_unique_per_brand"
            ),
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_min__lte=models.F("age_max")),
                name="persona_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=ContentLanguage.values),
                name="persona_language_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValidationError(
                {"age_max": _("The maximum age must be at least the minimum age.")}
            )


class Competitor(TenantModel):
    """A competitor of the brand, watched later for share of voice."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="competitors")
    name = models.CharField(_("name"), max_length=120)
    website = models.URLField(_("website"), blank=True, max_length=300)
    handles = models.JSONField(
        _("handles per network"), default=dict, blank=True, validators=[validate_handles]
    )
    keywords = models.JSONField(
        _("keywords"), default=list, blank=True, validators=[validate_word_list]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "agency", "brand", Lower("name"), name="competitor_name_unique_per_brand"
            ),
        ]

    def __str__(self) -> str:
        return self.name


phone_validator = RegexValidator(
    r"^\+?[0-9 ().-]{6,31}$", _("Enter a phone number, for example +212 6 12 34 56 78.")
)


class ClientContact(TenantModel):
    """A person at the client: who to call, and who approves content."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[phone_validator])
    role = models.CharField(_("role at the client"), max_length=80, blank=True)
    is_approver = models.BooleanField(_("approves content"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client contact")
        verbose_name_plural = _("client contacts")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "agency", "brand", Lower("email"), name="contact_email_unique_per_brand"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Connected social accounts ---------------------------------------------------------------


class AccountStatus(models.TextChoices):
    CONNECTED = "connected", _("Connected")
    NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnecting")
    REVOKED = "revoked", _("Disconnected")


class WebhooksStatus(models.TextChoices):
    """Whether the network pushes this account's events to us (Meta: the app installed on the
    Page through subscribed_apps). Blank: the network has no such step."""

    PENDING = "pending", _("Being installed")
    INSTALLED = "installed", _("Installed")
    FAILED = "failed", _("Installation failed")


class SocialAccount(TenantModel):
    """A brand's account on a network, with its tokens encrypted at rest.

    The tokens are the properties ``access_token`` and ``refresh_token``; the columns hold only
    ciphertext (core.crypto) and are never serialised, logged, shown in the admin or in
    ``str``/``repr``.
    """

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="social_accounts")
    network = models.CharField(_("network"), max_length=20, choices=NETWORK_CHOICES)
    external_id = models.CharField(_("account id on the network"), max_length=255)
    handle = models.CharField(_("handle"), max_length=255, blank=True)
    display_name = models.CharField(_("display name"), max_length=255, blank=True)
    avatar_url = models.URLField(_("avatar"), max_length=1000, blank=True)
    scopes = models.JSONField(_("granted scopes"), default=list, blank=True)
    access_token_encrypted = models.TextField(blank=True, editable=False)
    refresh_token_encrypted = models.TextField(blank=True, editable=False)
    expires_at = models.DateTimeField(_("token expires"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AccountStatus.choices, default=AccountStatus.CONNECTED
    )
    last_error = models.TextField(_("last error"), blank=True, max_length=1000)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    instance_url = models.URLField(_("instance"), max_length=300, blank=True)
    # Instagram: the Facebook Page the account is linked to and that Page's token (encrypted
    # like the others), for the Page-level calls: its conversations, installing the app.
    linked_page_id = models.CharField(_("linked Page id"), max_length=255, blank=True)
    linked_page_token_encrypted = models.TextField(blank=True, editable=False)
    webhooks_status = models.CharField(
        _("real-time updates"), max_length=20, choices=WebhooksStatus.choices, blank=True
    )
    webhooks_error = models.TextField(_("real-time updates error"), blank=True, max_length=1000)
    webhooks_checked_at = models.DateTimeField(null=True, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    connected_at = models.DateTimeField(_("connected"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    access_token = encrypted_property("access_token_encrypted", "The decrypted access token.")
    refresh_token = encrypted_property("refresh_token_encrypted", "The decrypted refresh token.")
    linked_page_token = encrypted_property(
        "linked_page_token_encrypted", "The decrypted token of the linked Facebook Page."
    )

    class Meta:
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")
        ordering = ["network", "handle", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "brand", "network", "external_id"],
                name="social_account_unique_per_brand",
            ),
            models.CheckConstraint(
                condition=models.Q(network__in=[value for value, _label in NETWORK_CHOICES]),
                name="social_account_network_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AccountStatus.values),
                name="social_account_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "brand", "network"], name="social_account_brand"),
            # The refresh dispatcher spans agencies by design: it looks up by expiry.
            models.Index(fields=["status", "expires_at"], name="social_account_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.handle or self.external_id}"

    def __repr__(self) -> str:
        return f"<SocialAccount {self.pk} {self.network} {self.external_id!r} {self.status}>"

    @property
    def is_connected(self) -> bool:
        return self.status == AccountStatus.CONNECTED

    @property
    def lacks_linked_page(self) -> bool:
        """An Instagram account connected before its linked Page's token was kept: its private
        messages are not read, nor answered, nor private replies sent (all go through the
        Page) until it is reconnected (or its token next refreshed)."""
        return self.network == "instagram" and not (
            self.linked_page_id and self.linked_page_token_encrypted
        )


class MastodonApp(models.Model):
    """Our OAuth client registered on one Mastodon instance (POST /api/v1/apps).

    Not tenant data: every Mastodon server needs its own client registration, and one
    registration serves every agency that connects accounts of that server, exactly like the
    client ids of the other networks live in settings. Registering again per agency would only
    multiply apps on the instance. The client secret is encrypted like the tokens.
    """

    instance_url = models.URLField(_("instance"), max_length=300, unique=True)
    client_id = models.CharField(max_length=255)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    redirect_uri = models.URLField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    client_secret = encrypted_property("client_secret_encrypted", "The decrypted client secret.")

    class Meta:
        verbose_name = _("Mastodon app registration")
        verbose_name_plural = _("Mastodon app registrations")

    def __str__(self) -> str:
        return self.instance_url

    def __repr__(self) -> str:
        return f"<MastodonApp {self.instance_url}>"


# Models by topic, in their own modules (imported last: they refer to the models above).
from clients.models.connection_links import ConnectionLink, ConnectionLinkUse  # noqa: E402, F401
from clients.models.network_watch import (  # noqa: E402, F401
    ApiDeprecationNotice,
    ApiRetirementWarning,
    DeprecationKind,
)
