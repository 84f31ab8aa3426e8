"""Times: stored in UTC, entered and shown on each brand's wall clock, across clock changes.

Africa/Casablanca in 2026 (tzdata): UTC+1 until 2026-02-15 02:00 UTC, UTC+0 for Ramadan, UTC+1
again from 2026-03-22 02:00 UTC. Europe/Paris: CET -> CEST on 2026-03-29 01:00 UTC, back on
2026-10-25 01:00 UTC. The same in 2027 for Casablanca: 2027-02-07 and 2027-03-14.
"""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import Post, PostState, PostVariant
from campaigns.services.posts import post_create
from campaigns.services.workflow import post_submit
from campaigns.tests.factories import PostFactory, PostVariantFactory, PublishingPolicyFactory
from campaigns.times import to_utc
from clients.tests.factories import BrandFactory, SocialAccountFactory

pytestmark = pytest.mark.usefixtures("en")
UTC = dt.UTC
CASA = "Africa/Casablanca"
PARIS = "Europe/Paris"


def _local(*args):
    return dt.datetime(*args)


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        # Casablanca, before Ramadan (UTC+1), during (UTC+0), after (UTC+1).
        (CASA, _local(2026, 2, 14, 10, 0), dt.datetime(2026, 2, 14, 9, 0, tzinfo=UTC)),
        (CASA, _local(2026, 2, 16, 10, 0), dt.datetime(2026, 2, 16, 10, 0, tzinfo=UTC)),
        (CASA, _local(2026, 3, 21, 20, 0), dt.datetime(2026, 3, 21, 20, 0, tzinfo=UTC)),
        (CASA, _local(2026, 3, 23, 10, 0), dt.datetime(2026, 3, 23, 9, 0, tzinfo=UTC)),
        # The hour that happens twice when clocks go back: the first occurrence.
        (CASA, _local(2026, 2, 15, 2, 30), dt.datetime(2026, 2, 15, 1, 30, tzinfo=UTC)),
        # Paris across its DST changes.
        (PARIS, _local(2026, 3, 28, 10, 0), dt.datetime(2026, 3, 28, 9, 0, tzinfo=UTC)),
        (PARIS, _local(2026, 3, 29, 10, 0), dt.datetime(2026, 3, 29, 8, 0, tzinfo=UTC)),
        (PARIS, _local(2026, 10, 25, 2, 30), dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (PARIS, _local(2026, 10, 26, 10, 0), dt.datetime(2026, 10, 26, 9, 0, tzinfo=UTC)),
    ],
)
def test_a_brands_wall_clock_time_is_stored_as_the_right_instant(zone, local, utc):
    assert to_utc(local, zone) == utc


@pytest.mark.parametrize(
    ("zone", "local"),
    [
        (CASA, _local(2026, 3, 22, 2, 30)),  # Casablanca jumps 02:00 -> 03:00 after Ramadan
        (PARIS, _local(2026, 3, 29, 2, 30)),  # Paris jumps 02:00 -> 03:00
    ],
)
def test_a_time_the_clocks_skip_is_refused_with_a_clear_reason(zone, local):
    with pytest.raises(ValidationError) as refused:
        to_utc(local, zone)
    assert "does not exist" in refused.value.message_dict["scheduled_at"][0]


def _calendar(client, **params):
    return client.get(reverse("campaigns:calendar"), params).content.decode()


def test_the_calendar_shows_each_post_at_its_brands_local_time_across_ramadan(
    agency_a, brand_a, owner_of_a, en_login
):
    PostFactory(
        agency=agency_a,
        brand=brand_a,
        title="Avant Ramadan",
        scheduled_at=dt.datetime(2026, 2, 14, 17, 30, tzinfo=UTC),
    )
    PostFactory(
        agency=agency_a,
        brand=brand_a,
        title="Pendant Ramadan",
        scheduled_at=dt.datetime(2026, 2, 16, 18, 30, tzinfo=UTC),
    )
    body = _calendar(en_login(owner_of_a), view="week", day="2026-02-16", brand=brand_a.pk)
    assert "Pendant Ramadan" in body and "18:30" in body
    body = _calendar(en_login(owner_of_a), view="month", day="2026-02-01", brand=brand_a.pk)
    assert "18:30</span> Avant Ramadan" in body  # 17:30 UTC + 1
    assert "18:30</span> Pendant Ramadan" in body  # 18:30 UTC + 0


def test_across_brands_each_post_keeps_its_own_time_zone(agency_a, brand_a, owner_of_a, en_login):
    paris = BrandFactory(agency=agency_a, name="Maison Paris", time_zone=PARIS)
    instant = dt.datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    PostFactory(agency=agency_a, brand=brand_a, title="Casa post", scheduled_at=instant)
    PostFactory(agency=agency_a, brand=paris, title="Paris post", scheduled_at=instant)
    body = _calendar(en_login(owner_of_a), view="list", day="2026-07-01")  # the month of July
    # 22:30 UTC is 23:30 in Casablanca (UTC+1) and 00:30 the next day in Paris (UTC+2).
    assert "Casa post" in body and "Paris post" in body
    body = _calendar(en_login(owner_of_a), view="week", day="2026-07-01")
    casa_day = body.index('data-drop-date="2026-07-01"')
    paris_day = body.index('data-drop-date="2026-07-02"')
    assert casa_day < body.index("Casa post") < paris_day < body.index("Paris post")
    assert "23:30</span> Casa post" in body and "00:30</span> Paris post" in body


def test_calendar_filters_by_campaign_network_state_and_author(
    agency_a, brand_a, owner_of_a, member_of_a, en_login
):
    instant = dt.datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
    mine = PostFactory(
        agency=agency_a,
        brand=brand_a,
        title="Du CM",
        author=member_of_a.user,
        scheduled_at=instant,
        state=PostState.SCHEDULED,
    )
    PostVariantFactory(
        agency=agency_a,
        post=mine,
        social_account=SocialAccountFactory(agency=agency_a, brand=brand_a, network="bluesky"),
    )
    PostFactory(
        agency=agency_a,
        brand=brand_a,
        title="Du patron",
        author=owner_of_a.user,
        scheduled_at=instant,
    )
    client = en_login(owner_of_a)
    body = _calendar(client, day="2026-05-01", author=member_of_a.user_id)
    assert "Du CM" in body and "Du patron" not in body
    body = _calendar(client, day="2026-05-01", network="bluesky")
    assert "Du CM" in body and "Du patron" not in body
    body = _calendar(client, day="2026-05-01", state="draft")
    assert "Du CM" not in body and "Du patron" in body


def test_a_client_sees_only_their_brands_on_the_calendar(agency_a, brand_a, client_of_a, en_login):
    other = BrandFactory(agency=agency_a, name="Autre marque")
    instant = dt.datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
    PostFactory(agency=agency_a, brand=brand_a, title="Visible", scheduled_at=instant)
    PostFactory(agency=agency_a, brand=other, title="Cachée", scheduled_at=instant)
    body = _calendar(en_login(client_of_a), day="2026-05-01")
    assert "Visible" in body and "Cachée" not in body


def _scheduled_post(member_of_a, brand, account, when, in_agency):
    PublishingPolicyFactory(agency=brand.agency, brand=brand, approval_mode="none")
    with in_agency(brand.agency_id):
        post = post_create(
            actor=member_of_a,
            brand=brand,
            account_ids=[account.pk],
            text="Ftour offert",
            scheduled_at=when,
        )
        return post_submit(actor=member_of_a, post=post)


def test_dragging_a_post_to_another_day_keeps_its_wall_clock_time_across_ramadan(
    agency_a, brand_a, member_of_a, en_login, in_agency
):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a)
    # 2027-02-05 19:00 in Casablanca (UTC+1) = 18:00 UTC; Ramadan time starts 2027-02-07.
    post = _scheduled_post(
        member_of_a, brand_a, account, dt.datetime(2027, 2, 5, 18, 0, tzinfo=UTC), in_agency
    )
    assert post.state == PostState.SCHEDULED
    response = en_login(member_of_a).post(
        reverse("campaigns:post_reschedule", kwargs={"post_id": post.pk}),
        {"date": "2027-02-10", "query": "view=month&day=2027-02-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "The post is moved." in response.content.decode()
    post.refresh_from_db()
    # Still 19:00 on the wall clock, now UTC+0: 19:00 UTC.
    assert post.scheduled_at == dt.datetime(2027, 2, 10, 19, 0, tzinfo=UTC)
    assert post.state == PostState.SCHEDULED
    assert set(PostVariant.unscoped.filter(post=post).values_list("due_at", flat=True)) == {
        post.scheduled_at
    }


def test_dragging_onto_a_time_that_does_not_exist_is_refused_like_the_composer(
    agency_a, brand_a, member_of_a, en_login, in_agency
):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a)
    post = _scheduled_post(
        member_of_a, brand_a, account, dt.datetime(2027, 3, 10, 1, 30, tzinfo=UTC), in_agency
    )
    local = post.scheduled_at.astimezone(zoneinfo.ZoneInfo(CASA))
    assert local.hour == 1 and local.minute == 30  # during Ramadan time, UTC+0
    response = en_login(member_of_a).post(
        reverse("campaigns:post_reschedule", kwargs={"post_id": post.pk}),
        {"date": "2027-03-14", "time": "02:30"},
        HTTP_HX_REQUEST="true",
    )
    assert "does not exist in Africa/Casablanca" in response.content.decode()
    post.refresh_from_db()
    assert post.scheduled_at == dt.datetime(2027, 3, 10, 1, 30, tzinfo=UTC)


def test_dragging_into_the_past_is_refused(agency_a, brand_a, member_of_a, en_login, in_agency):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a)
    post = _scheduled_post(
        member_of_a, brand_a, account, dt.datetime(2030, 1, 10, 9, 0, tzinfo=UTC), in_agency
    )
    response = en_login(member_of_a).post(
        reverse("campaigns:post_reschedule", kwargs={"post_id": post.pk}),
        {"date": "2020-01-01"},
        HTTP_HX_REQUEST="true",
    )
    assert "Choose a time in the future." in response.content.decode()


def test_a_post_that_breaks_a_rule_cannot_be_moved_once_submitted(
    agency_a, brand_a, member_of_a, en_login
):
    account = SocialAccountFactory(agency=agency_a, brand=brand_a, network="bluesky")
    post = PostFactory(
        agency=agency_a,
        brand=brand_a,
        text="x" * 400,
        state=PostState.APPROVED,
        scheduled_at=dt.datetime(2030, 1, 10, 9, 0, tzinfo=UTC),
    )
    PostVariantFactory(agency=agency_a, post=post, social_account=account)
    response = en_login(member_of_a).post(
        reverse("campaigns:post_reschedule", kwargs={"post_id": post.pk}),
        {"date": "2030-01-12"},
        HTTP_HX_REQUEST="true",
    )
    assert "Bluesky allows 300 characters" in response.content.decode()


def test_a_client_cannot_move_posts(agency_a, brand_a, client_of_a, en_login):
    post = PostFactory(
        agency=agency_a, brand=brand_a, scheduled_at=dt.datetime(2030, 1, 10, 9, 0, tzinfo=UTC)
    )
    response = en_login(client_of_a).post(
        reverse("campaigns:post_reschedule", kwargs={"post_id": post.pk}), {"date": "2030-01-12"}
    )
    assert response.status_code == 403


def test_calendar_export_gives_local_and_utc_times(agency_a, brand_a, owner_of_a, en_login):
    PostFactory(
        agency=agency_a,
        brand=brand_a,
        title="=SUM(A1)",
        scheduled_at=dt.datetime(2026, 2, 16, 18, 30, tzinfo=UTC),
    )
    response = en_login(owner_of_a).get(reverse("campaigns:calendar_export"))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,brand,campaign,title,state,local_time,time_zone,utc_time")
    assert "'=SUM(A1)" in lines[1]  # a formula is neutralised
    assert "2026-02-16 18:30,Africa/Casablanca,2026-02-16T18:30:00Z" in lines[1]


def test_the_post_list_view_shows_unscheduled_drafts(agency_a, brand_a, owner_of_a, en_login):
    PostFactory(agency=agency_a, brand=brand_a, title="Sans date")
    assert "Sans date" in _calendar(en_login(owner_of_a), view="list")


def test_post_model_reports_its_local_time(agency_a, brand_a):
    post = Post(brand=brand_a, scheduled_at=dt.datetime(2026, 2, 16, 18, 30, tzinfo=UTC))
    assert post.local_scheduled_at.strftime("%H:%M %Z") == "18:30 +00"
