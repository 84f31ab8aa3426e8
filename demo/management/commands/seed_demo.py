"""`manage.py seed_demo`: a demo agency with one person per role and three brands.

Idempotent: a second run finds everything in place, changes nothing, and prints the same
credentials. Refuses to run in production unless given --force.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agency.models import Agency, BrandAccess, Membership, Role, User
from agency.services.agencies import agency_create
from agency.services.audit import audit_record
from clients.models import Brand
from clients.services.brands import brand_create
from demo.analytics import analytics_seed
from demo.branding import branding_seed
from demo.inbox import inbox_seed
from demo.listening import listening_seed
from demo.reports import reports_seed

DEMO_AGENCY_NAME = "Atlas Digital (démo)"
DEMO_PASSWORD = "atlas-demo-2026"
DEMO_EMAIL_DOMAIN = "atlas-digital.example"


@dataclass(frozen=True)
class DemoBrand:
    slug: str
    name: str
    industry: str
    languages: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class DemoPerson:
    role: str
    full_name: str
    brand_slugs: tuple[str, ...] = ()

    @property
    def email(self) -> str:
        return f"{self.role.replace('_', '.')}@{DEMO_EMAIL_DOMAIN}"


BRANDS = (
    DemoBrand(
        slug="cafe-zellige",
        name="Café Zellige",
        industry="Cafés et restauration",
        languages=("fr", "ar", "ary"),
        description="Chaîne de cafés à Casablanca, Rabat et Marrakech.",
    ),
    DemoBrand(
        slug="atlas-telecom",
        name="Atlas Télécom",
        industry="Télécommunications",
        languages=("fr", "ar", "ary", "en"),
        description="Opérateur mobile et fibre.",
    ),
    DemoBrand(
        slug="taghazout-surf-school",
        name="Taghazout Surf School",
        industry="Sport et tourisme",
        languages=("en", "fr"),
        description="École de surf à Taghazout, cours et séjours.",
    ),
)

PEOPLE = (
    DemoPerson(Role.OWNER, "Yasmine Benali"),
    DemoPerson(Role.ADMIN, "Karim El Idrissi"),
    DemoPerson(Role.MANAGER, "Salma Tazi"),
    DemoPerson(Role.COMMUNITY_MANAGER, "Omar Alaoui"),
    DemoPerson(Role.ANALYST, "Nadia Berrada"),
    DemoPerson(Role.CLIENT_APPROVER, "Hicham Fassi", ("cafe-zellige",)),
    DemoPerson(Role.CLIENT_VIEWER, "Leila Chraibi", ("atlas-telecom", "taghazout-surf-school")),
)


class Command(BaseCommand):
    help = "Create (or find) the demo agency, its people and brands, and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DJANGO_ENV=production (the demo password is public).",
        )

    def handle(self, *args, force: bool = False, **options):
        if getattr(settings, "PRODUCTION", False) and not force:
            raise CommandError(
                "Refusing to create demo accounts with a published password in production. "
                "Pass --force if this really is a demonstration server."
            )
        with transaction.atomic():
            created = seed_demo()
        if created:
            self.stdout.write(f"Demo data created ({created} new objects).")
        else:
            self.stdout.write("Demo data already in place; nothing changed.")
        self.stdout.write(credentials_table())


def seed_demo() -> int:
    """Bring the demo data to its known state. Returns how many objects were created."""
    created = 0
    users = {}
    for person in PEOPLE:
        users[person.role], new = _ensure_user(person)
        created += new

    owner = users[Role.OWNER]
    owner_membership = (
        Membership.unscoped.select_related("agency")
        .filter(user=owner, role=Role.OWNER, agency__name=DEMO_AGENCY_NAME)
        .first()
    )
    if owner_membership is None:
        agency = agency_create(
            owner=owner, name=DEMO_AGENCY_NAME, time_zone="Africa/Casablanca", language="fr"
        )
        owner_membership = Membership.unscoped.get(agency=agency, user=owner)
        created += 2
    agency = owner_membership.agency

    brands = {}
    for spec in BRANDS:
        brand = Brand.unscoped.filter(agency=agency, slug=spec.slug).first()
        if brand is None:
            brand = brand_create(
                actor=owner_membership,
                name=spec.name,
                slug=spec.slug,
                industry=spec.industry,
                languages=list(spec.languages),
                description=spec.description,
            )
            created += 1
        brands[spec.slug] = brand

    for person in PEOPLE:
        if person.role == Role.OWNER:
            continue
        created += _ensure_membership(agency, owner_membership, users[person.role], person, brands)
    created += inbox_seed(agency, brands)
    created += analytics_seed(agency, owner_membership, brands)
    created += branding_seed(agency, owner_membership)
    created += reports_seed(agency, owner_membership, brands)
    created += listening_seed(agency, owner_membership, brands)
    return created


def _ensure_user(person: DemoPerson) -> tuple[User, int]:
    created = 0
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User.objects.create_user(
            person.email, password=DEMO_PASSWORD, full_name=person.full_name
        )
        created += 1
    elif not user.check_password(DEMO_PASSWORD):
        # Someone changed it: put it back, so that the printed logins work.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    address, new = EmailAddress.objects.get_or_create(
        user=user, email=person.email, defaults={"verified": True, "primary": True}
    )
    if not new and not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user, created + new


def _ensure_membership(
    agency: Agency, actor: Membership, user: User, person: DemoPerson, brands: dict
) -> int:
    """There is no service that adds a member without an emailed invitation: the seed adds
    the membership itself and records the same kind of audit event a service would."""
    created = 0
    membership = Membership.unscoped.filter(agency=agency, user=user).first()
    if membership is None:
        membership = Membership.unscoped.create(agency=agency, user=user, role=person.role)
        audit_record(
            agency=agency,
            actor=actor,
            verb="membership.added",
            target=membership,
            data={"role": person.role, "source": "seed_demo"},
        )
        created += 1
    elif membership.role != person.role:
        membership.role = person.role
        membership.save(update_fields=["role"])
    for slug in person.brand_slugs:
        _, new = BrandAccess.unscoped.get_or_create(
            agency=agency, membership=membership, brand=brands[slug]
        )
        created += new
    return created


def credentials_table() -> str:
    brand_names = {spec.slug: spec.name for spec in BRANDS}
    rows = [("Role", "Email", "Password", "Brands")]
    for person in PEOPLE:
        rows.append(
            (
                person.role,
                person.email,
                DEMO_PASSWORD,
                ", ".join(brand_names[slug] for slug in person.brand_slugs) or "all",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"Demo agency: {DEMO_AGENCY_NAME}. Sign in at {settings.SITE_URL}/accounts/login/"]
    for n, row in enumerate(rows):
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)
