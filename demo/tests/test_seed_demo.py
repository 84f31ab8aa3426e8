"""`manage.py seed_demo`: idempotent, every demo person can sign in, clients see their brands."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError

from agency.models import Agency, AuditEvent, BrandAccess, Membership, Role, User
from agency.tenancy import tenant_scope
from clients.models import Brand
from clients.selectors import brands_visible_to
from demo.management.commands.seed_demo import (
    BRANDS,
    DEMO_AGENCY_NAME,
    DEMO_PASSWORD,
    PEOPLE,
)

pytestmark = pytest.mark.django_db


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = [Agency, User, EmailAddress]
    counts = {model.__name__: model.objects.count() for model in models}
    for model in (Membership, Brand, BrandAccess, AuditEvent):
        counts[model.__name__] = model.unscoped.count()
    return counts


def _credentials(output: str) -> str:
    return output[output.index("Demo agency:") :]


def test_seed_demo_creates_one_person_per_role_and_three_brands():
    _seed()
    agency = Agency.objects.get(name=DEMO_AGENCY_NAME)
    assert agency.time_zone == "Africa/Casablanca"
    assert agency.language == "fr"
    roles = set(Membership.unscoped.filter(agency=agency).values_list("role", flat=True))
    assert roles == set(Role.values)
    brands = Brand.unscoped.filter(agency=agency)
    assert brands.count() == len(BRANDS) == 3
    for brand in brands:
        assert set(brand.languages) <= {"fr", "en", "ar", "ary"}


def test_seed_demo_records_audit_events_through_the_services():
    _seed()
    verbs = set(AuditEvent.unscoped.values_list("verb", flat=True))
    assert {"agency.created", "brand.created", "membership.added"} <= verbs


def test_seed_demo_twice_changes_nothing_and_prints_the_same_logins():
    first = _seed()
    counts = _counts()
    second = _seed()
    assert _counts() == counts
    assert "nothing changed" in second
    assert _credentials(first) == _credentials(second)
    for person in PEOPLE:
        assert person.email in second
    assert DEMO_PASSWORD in second


def test_seed_demo_restores_a_changed_demo_password():
    _seed()
    user = User.objects.get(email=PEOPLE[0].email)
    user.set_password("something-else-entirely")
    user.save()
    _seed()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_every_demo_person_can_sign_in_with_a_verified_email(client):
    _seed()
    for person in PEOPLE:
        assert EmailAddress.objects.filter(email=person.email, verified=True, primary=True).exists()
        assert client.login(email=person.email, password=DEMO_PASSWORD), person.email
        client.logout()


def test_demo_client_viewer_sees_only_their_brands():
    _seed()
    viewer = next(p for p in PEOPLE if p.role == Role.CLIENT_VIEWER)
    membership = Membership.unscoped.get(user__email=viewer.email)
    with tenant_scope(membership.agency_id):
        visible = set(brands_visible_to(membership).values_list("slug", flat=True))
    assert visible == set(viewer.brand_slugs)
    assert 0 < len(visible) < len(BRANDS)


def test_demo_agency_staff_see_every_brand():
    _seed()
    membership = Membership.unscoped.get(role=Role.ANALYST, agency__name=DEMO_AGENCY_NAME)
    with tenant_scope(membership.agency_id):
        assert brands_visible_to(membership).count() == len(BRANDS)


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        _seed()
    assert not Agency.objects.filter(name=DEMO_AGENCY_NAME).exists()


def test_seed_demo_runs_in_production_when_forced(settings):
    settings.PRODUCTION = True
    _seed("--force")
    assert Agency.objects.filter(name=DEMO_AGENCY_NAME).exists()


def test_seed_demo_fills_the_inbox_through_the_ingestion_and_alerts_nobody_of_old_items():
    from engagement.models import Conversation, Message
    from notifications.models import Notification

    _seed()
    agency = Agency.objects.get(name=DEMO_AGENCY_NAME)
    conversations = Conversation.unscoped.filter(agency=agency)
    assert conversations.count() >= 5
    thread = conversations.get(thread_key="z-101")
    assert thread.message_count == 3
    assert Message.unscoped.get(external_id="z-102").direction == "out"
    assert set(conversations.values_list("sentiment", flat=True)) >= {"negative", "positive"}
    # The only alert is the demo assignment, not the items of the first read.
    verbs = set(Notification.unscoped.filter(agency=agency).values_list("verb", flat=True))
    assert verbs == {"conversation.assigned"}
    _seed()
    assert Message.unscoped.filter(agency=agency).count() == 7


def test_seed_demo_publishes_a_history_with_metrics_and_marks_what_mastodon_lacks():
    from analytics.models import AccountMetricDay, PostMetricDay
    from analytics.selectors.metrics import post_metrics_latest
    from campaigns.models import PostVariant

    _seed()
    agency = Agency.objects.get(name=DEMO_AGENCY_NAME)
    published = PostVariant.unscoped.filter(agency=agency, state="published")
    assert published.count() == 48  # 12 posts on two accounts, for two brands
    assert published.filter(external_id="z-post-1").exists()  # the inbox's comments' post
    with tenant_scope(agency):
        instagram = published.filter(social_account__network="instagram").first()
        mastodon = published.filter(social_account__network="mastodon").first()
        latest = post_metrics_latest(post_variant_ids=[instagram.pk, mastodon.pk])
    assert latest[instagram.pk]["reach"] > 0 and latest[instagram.pk]["likes"] is not None
    assert latest[mastodon.pk]["reach"] is None  # not available, never 0
    assert AccountMetricDay.unscoped.filter(agency=agency, metric="followers").count() > 100
    rows = PostMetricDay.unscoped.filter(agency=agency).count()
    _seed()
    assert PostMetricDay.unscoped.filter(agency=agency).count() == rows


def test_seed_demo_gives_the_agency_its_colours_and_a_logo_once():
    from agency.branding import branding_for

    _seed()
    agency = Agency.objects.get(name=DEMO_AGENCY_NAME)
    branding = branding_for(agency)
    assert branding.logo_url and branding.primary == "#0f5c4d"
    events = AuditEvent.unscoped.filter(agency=agency).count()
    _seed()
    assert AuditEvent.unscoped.filter(agency=agency).count() == events


def test_seed_demo_sets_up_a_monthly_client_report_and_asks_for_a_first_one():
    from reports.models import ReportRun, ReportSchedule, ReportTemplate

    _seed()
    agency = Agency.objects.get(name=DEMO_AGENCY_NAME)
    template = ReportTemplate.unscoped.get(agency=agency)
    schedule = ReportSchedule.unscoped.get(agency=agency)
    assert (schedule.template_id, schedule.brand.slug) == (template.pk, "cafe-zellige")
    assert schedule.next_run_at is not None
    run = ReportRun.unscoped.get(agency=agency)
    assert run.state == "queued" and run.period_end < run.created_at.date()
    _seed()
    assert ReportRun.unscoped.filter(agency=agency).count() == 1


def test_the_demo_listening_has_mentions_in_four_languages_on_every_brand():
    from reputation.models.mentions import Mention
    from reputation.models.sources import Source

    _seed()
    agency = Agency.objects.get(name=DEMO_AGENCY_NAME)
    mentions = Mention.unscoped.filter(agency=agency)
    assert set(mentions.values_list("brand__slug", flat=True)) == {b.slug for b in BRANDS}
    assert mentions.count() == 18
    assert {"fr", "en", "ar"} <= set(mentions.values_list("language", flat=True))
    assert {"positive", "negative"} <= set(mentions.values_list("sentiment_label", flat=True))
    # The press feeds are switched off: make run never fetches their example addresses.
    assert not Source.unscoped.filter(agency=agency, active=True).exists()
    _seed()
    assert Mention.unscoped.filter(agency=agency).count() == 18
