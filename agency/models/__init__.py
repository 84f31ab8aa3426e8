"""Tenancy data: people, agencies, who belongs where with which role, keys and the audit trail."""

import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency import rls
from agency.tenancy import TenantModel
from core.colours import MIN_CONTRAST_WITH_WHITE, contrast_with_white, is_hex_colour
from core.hostnames import HostnameError, normalise_hostname


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


hex_colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB, for example #1f6feb.")
)


def validate_contrast_with_white(value: str) -> None:
    """The portal and reports write white text on the agency's colours: it must stay legible."""
    if is_hex_colour(value) and contrast_with_white(value) < MIN_CONTRAST_WITH_WHITE:
        raise ValidationError(
            _(
                "White text on %(colour)s has a contrast of %(ratio)s:1; at least %(min)s:1 is "
                "needed to be read. Choose a darker colour."
            ),
            code="low_contrast",
            params={
                "colour": value,
                "ratio": f"{contrast_with_white(value):.1f}",
                "min": MIN_CONTRAST_WITH_WHITE,
            },
        )


HOSTNAME_ERRORS = {
    "scheme": _("Enter the address without https:// or a path, for example portal.example.com."),
    "port": _("Enter the address without a port, for example portal.example.com."),
    "length": _("Enter an address of at most 253 characters, for example portal.example.com."),
    "labels": _("Enter a full domain name, for example portal.example.com."),
    "label": _(
        "Use only letters, digits, hyphens and dots in the address, for example portal.example.com."
    ),
    "ip_address": _("Enter a domain name, not an IP address."),
}


def validate_portal_domain(value: str) -> None:
    if not value:
        return
    try:
        normalise_hostname(value)  # the service stores the normal form (lower case)
    except HostnameError as exc:
        raise ValidationError(HOSTNAME_ERRORS[exc.code], code=f"hostname_{exc.code}") from None


class ReportFont(models.TextChoices):
    """The families installed with the product (Debian's fonts-noto-core, fonts-dejavu-core)."""

    NOTO_SANS = "Noto Sans", "Noto Sans"
    NOTO_SERIF = "Noto Serif", "Noto Serif"
    DEJAVU_SANS = "DejaVu Sans", "DejaVu Sans"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an email address; belongs to agencies through memberships."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Agency(models.Model):
    """The tenant: an agency and everything it owns."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Africa/Casablanca", validators=[validate_time_zone]
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.FRENCH
    )
    logo = models.ImageField(_("logo"), upload_to="agency-logos/", blank=True)
    primary_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1f6feb",
        validators=[hex_colour_validator, validate_contrast_with_white],
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#0f766e",
        validators=[hex_colour_validator, validate_contrast_with_white],
    )
    white_label = models.BooleanField(
        _("white label"),
        default=False,
        help_text=_("The client portal and reports show only the agency's name, not ours."),
    )
    report_font = models.CharField(
        _("report font"), max_length=40, choices=ReportFont.choices, default=ReportFont.NOTO_SANS
    )
    portal_domain = models.CharField(
        _("portal domain"),
        max_length=253,
        blank=True,
        default="",
        validators=[validate_portal_domain],
        help_text=_("Your own address for the client portal, for example portal.example.com."),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Members without an authenticator app are asked to set one up first."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["portal_domain"],
                condition=~models.Q(portal_domain=""),
                name="agency_portal_domain_unique",
                violation_error_message=_("Another agency already uses this portal domain."),
            ),
            models.CheckConstraint(
                condition=models.Q(report_font__in=ReportFont.values),
                name="agency_report_font_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def delete(self, *args, **kwargs):
        # The cascade deletes this agency's tenant rows: the database lets it reach those only.
        with rls.db_agency(self.pk):
            return super().delete(*args, **kwargs)


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MANAGER = "manager", _("Account manager")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    ANALYST = "analyst", _("Analyst")
    CLIENT_APPROVER = "client_approver", _("Client approver")
    CLIENT_VIEWER = "client_viewer", _("Client viewer")


CLIENT_ROLES = frozenset({Role.CLIENT_APPROVER, Role.CLIENT_VIEWER})


class Membership(TenantModel):
    """A person's place in an agency. Client roles see only the brands given by BrandAccess."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="membership_one_per_agency"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency_id} ({self.role})"

    @property
    def is_client(self) -> bool:
        return self.role in CLIENT_ROLES


class BrandAccess(TenantModel):
    """Which brands a client approver or viewer may see."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="brand_accesses"
    )
    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="accesses")

    class Meta:
        verbose_name = _("brand access")
        verbose_name_plural = _("brand accesses")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "membership", "brand"], name="brand_access_unique"
            )
        ]


class Invitation(TenantModel):
    """A single-use invitation to join an agency with a role (and brands, for client roles).

    Only a SHA-256 of the token is stored; the token itself travels in the emailed link.
    """

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    brands = models.ManyToManyField(
        "clients.Brand", through="InvitationBrand", blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["agency", "-created_at"], name="invitation_agency_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="invitation_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"


class InvitationBrand(TenantModel):
    """A brand an invitation to a client role gives access to (a tenant row like any other, so
    its agency is checked on write and, on PostgreSQL, tied to the invitation's)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+")
    brand = models.ForeignKey("clients.Brand", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("invitation brand")
        verbose_name_plural = _("invitation brands")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "invitation", "brand"], name="invitation_brand_unique"
            )
        ]


class ApiKeyScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiKey(TenantModel):
    """A machine credential of one agency. Stored as a SHA-256 hash; shown once on creation."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scope = models.CharField(_("scope"), max_length=16, choices=ApiKeyScope.choices)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.UniqueConstraint("agency", Lower("name"), name="api_key_name_unique_per_agency"),
            models.CheckConstraint(
                condition=models.Q(scope__in=ApiKeyScope.values), name="api_key_scope_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditEvent(TenantModel):
    """Who did what to which object, and when. Written by services, never edited."""

    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    verb = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["agency", "-created_at"], name="audit_agency_recent"),
            models.Index(fields=["agency", "verb", "-created_at"], name="audit_agency_verb"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.verb} {self.target_label}"


# Models by topic, in their own modules (imported last: they refer to the models above).
from agency.models.sign_in_links import SignInLink  # noqa: E402, F401
