"""Defects seen in a real browser (issue 17): the composer keeps the work on a brand change and
autosaves drafts, guideline words are readable pills, the top-bar brand applies to the calendar
and the queue, a CSV media URL reaches the post, the calendar's list and week views, and an
approved post's save button says what saving does."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.composer import variant_content
from campaigns.models import Post, PostState, PostVariant
from campaigns.selectors.calendar import calendar_span
from campaigns.services.imports import post_import_commit, post_import_preview
from campaigns.tests.factories import PostFactory, PostVariantFactory
from clients.tests.factories import BrandFactory, BrandGuidelinesFactory
from publishing.tests.helpers import variant_on

pytestmark = pytest.mark.usefixtures("en")
UTC = dt.UTC


def _select_brand(client, brand):
    client.post(reverse("brands:select", kwargs={"brand_id": brand.pk}), {"next": "/"})


# 1. The composer keeps the work.


def test_the_brand_change_carries_the_text_link_and_first_comment(
    agency_a, brand_a, member_of_a, en_login
):
    other = BrandFactory(agency=agency_a, name="Maison Rabat")
    response = en_login(member_of_a).get(
        reverse("campaigns:post_create"),
        {
            "brand": other.pk,
            "title": "Ftour",
            "text": "Notre ftour ce soir",
            "link": "https://cafe-tanger.ma/ftour",
            "first_comment": "#ramadan",
        },
    )
    form = response.context["form"]
    assert response.context["brand"] == other
    assert form["text"].value() == "Notre ftour ce soir"
    assert form["title"].value() == "Ftour"
    assert form["link"].value() == "https://cafe-tanger.ma/ftour"
    assert form["first_comment"].value() == "#ramadan"


def test_the_brand_selector_names_the_fields_it_carries_and_the_form_autosaves(
    brand_a, member_of_a, en_login
):
    body = en_login(member_of_a).get(reverse("campaigns:post_create")).content.decode()
    assert 'data-carry="title text link first_comment"' in body
    assert f'data-autosave="composer:brand:{brand_a.pk}"' in body
    assert 'id="composer-restored"' in body


def test_an_existing_posts_draft_is_autosaved_under_its_own_key(
    agency_a, brand_a, member_of_a, en_login
):
    post = PostFactory(agency=agency_a, brand=brand_a, text="Bonjour")
    body = (
        en_login(member_of_a)
        .get(reverse("campaigns:post_edit", kwargs={"post_id": post.pk}))
        .content.decode()
    )
    assert f'data-autosave="composer:post:{post.pk}:v{post.version}"' in body


# 2. Guideline words are readable.


def test_words_to_use_and_avoid_are_pills_with_a_visible_colour(
    agency_a, brand_a, owner_of_a, en_login
):
    BrandGuidelinesFactory(
        agency=agency_a, brand=brand_a, words_to_use=["artisanal"], words_to_avoid=["promo"]
    )
    body = (
        en_login(owner_of_a)
        .get(reverse("brands:detail", kwargs={"brand_id": brand_a.pk}))
        .content.decode()
    )
    # Bootstrap has no text-bg-*-subtle: such a badge was white text on nothing.
    assert "text-bg-success-subtle" not in body
    assert 'class="badge bg-success-subtle text-success-emphasis' in body
    assert 'class="badge bg-danger-subtle text-danger-emphasis' in body


# 3. The top-bar brand applies to the calendar and the queue.


def test_the_top_bar_brand_filters_the_calendar(agency_a, brand_a, owner_of_a, en_login):
    other = BrandFactory(agency=agency_a, name="Maison Rabat")
    when = dt.datetime(2026, 5, 5, 9, 0, tzinfo=UTC)
    PostFactory(agency=agency_a, brand=brand_a, title="Post de Tanger", scheduled_at=when)
    PostFactory(agency=agency_a, brand=other, title="Post de Rabat", scheduled_at=when)
    client = en_login(owner_of_a)
    _select_brand(client, other)
    response = client.get(reverse("campaigns:calendar"), {"day": "2026-05-01"})
    body = response.content.decode()
    assert "Post de Rabat" in body and "Post de Tanger" not in body
    assert response.context["form"]["brand"].value() in (other.pk, str(other.pk))
    # "All brands" chosen in the filter still means all of them.
    body = client.get(reverse("campaigns:calendar"), {"day": "2026-05-01", "brand": ""})
    assert "Post de Tanger" in body.content.decode()


def test_the_top_bar_brand_filters_the_publishing_queue(agency_a, brand_a, owner_of_a, en_login):
    other = BrandFactory(agency=agency_a, name="Maison Rabat")
    for brand, title in ((brand_a, "Envoi de Tanger"), (other, "Envoi de Rabat")):
        variant = variant_on(agency_a, brand, "mastodon", text=title)
        Post.unscoped.filter(pk=variant.post_id).update(title=title)
    client = en_login(owner_of_a)
    body = client.get(reverse("publishing:publishing_queue")).content.decode()
    assert "Envoi de Tanger" in body and "Envoi de Rabat" in body
    _select_brand(client, other)
    body = client.get(reverse("publishing:publishing_queue")).content.decode()
    assert "Envoi de Rabat" in body and "Envoi de Tanger" not in body


# 4. A CSV media URL reaches the post.


def _csv(media_url: str) -> bytes:
    out = io.StringIO()
    out.write("text,accounts,time,media_url,first_comment,campaign\n")
    out.write(f'"Ftour ce soir",cafe-tanger,2030-03-03 18:30,"{media_url}",,\n')
    return out.getvalue().encode()


def test_a_csv_media_url_is_on_the_created_post_and_in_what_is_published(
    agency_a, brand_a, member_of_a, accounts_a, in_agency, settings, en_login
):
    settings.OUTBOUND_RESOLVER = lambda host, port: ["93.184.215.14"]
    url = "https://cdn.cafe-tanger.ma/ftour.jpg"
    with in_agency(brand_a.agency_id):
        preview = post_import_preview(
            actor=member_of_a, brand=brand_a, upload=SimpleUploadedFile("p.csv", _csv(url))
        )
        assert preview.error_rows == []
        (post,) = post_import_commit(actor=member_of_a, post_import=preview)
        post.refresh_from_db()
        assert post.media_urls == [url]
        variant = PostVariant.unscoped.filter(post=post).first()
        assert [m.url for m in variant_content(variant).media] == [url]
    client = en_login(member_of_a)
    detail = client.get(reverse("campaigns:post_detail", kwargs={"post_id": post.pk}))
    assert f'src="{url}"' in detail.content.decode()
    composer = client.get(reverse("campaigns:post_edit", kwargs={"post_id": post.pk}))
    body = composer.content.decode()
    assert f'name="media_urls" value="{url}"' in body


def test_the_composer_preview_counts_the_posts_media_urls(
    agency_a, brand_a, member_of_a, accounts_a, en_login
):
    url = "https://cdn.cafe-tanger.ma/ftour.jpg"
    response = en_login(member_of_a).post(
        reverse("campaigns:compose_preview"),
        {"brand": brand_a.pk, "accounts": [accounts_a[0].pk], "text": "Ftour", "media_urls": url},
        HTTP_HX_REQUEST="true",
    )
    assert url in response.content.decode()


# 5. The calendar's list and week views; saving an approved post.


def test_the_list_view_is_the_calendar_month_with_its_31st():
    span = calendar_span("list", dt.date(2026, 7, 15))
    assert span.days[0] == dt.date(2026, 7, 1)
    assert span.days[-1] == dt.date(2026, 7, 31)
    assert span.previous == dt.date(2026, 6, 1)
    assert span.following == dt.date(2026, 8, 1)


def test_the_list_view_shows_a_post_on_the_31st(agency_a, brand_a, owner_of_a, en_login):
    PostFactory(
        agency=agency_a,
        brand=brand_a,
        title="Le 31",
        scheduled_at=dt.datetime(2026, 7, 31, 9, 0, tzinfo=UTC),
    )
    response = en_login(owner_of_a).get(
        reverse("campaigns:calendar"), {"view": "list", "day": "2026-07-01"}
    )
    assert "Le 31" in response.content.decode()


def test_the_week_view_has_an_hour_grid(agency_a, brand_a, owner_of_a, en_login):
    PostFactory(
        agency=agency_a,
        brand=brand_a,
        title="Petit matin",
        scheduled_at=dt.datetime(2026, 7, 1, 8, 15, tzinfo=UTC),  # 09:15 in Casablanca
    )
    body = (
        en_login(owner_of_a)
        .get(reverse("campaigns:calendar"), {"view": "week", "day": "2026-07-01"})
        .content.decode()
    )
    assert 'class="cal-hours"' in body
    assert body.count('data-drop-time="') == 7 * 24
    slot = body.index('data-drop-date="2026-07-01" data-drop-time="09:00"')
    assert slot < body.index("Petit matin") < body.index('data-drop-time="10:00"', slot)


def test_an_approved_post_offers_save_with_a_note_not_save_as_draft(
    agency_a, brand_a, member_of_a, accounts_a, en_login
):
    post = PostFactory(agency=agency_a, brand=brand_a, state=PostState.APPROVED, text="Prêt")
    PostVariantFactory(agency=agency_a, post=post, social_account=accounts_a[0])
    body = (
        en_login(member_of_a)
        .get(reverse("campaigns:post_edit", kwargs={"post_id": post.pk}))
        .content.decode()
    )
    assert "Save as draft" not in body
    assert "Saving a change to its content sends it back to review" in body


def test_saving_an_approved_post_unchanged_keeps_it_approved(
    agency_a, brand_a, member_of_a, accounts_a, en_login
):
    post = PostFactory(
        agency=agency_a,
        brand=brand_a,
        state=PostState.APPROVED,
        text="Prêt",
        scheduled_at=None,
    )
    PostVariantFactory(agency=agency_a, post=post, social_account=accounts_a[0])
    client = en_login(member_of_a)
    page = client.get(reverse("campaigns:post_edit", kwargs={"post_id": post.pk}))
    form = page.context["form"]
    data = {"brand": brand_a.pk, "save": ""}
    for name in form.fields:
        value = form[name].value()
        if value in (None, ""):
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    response = client.post(reverse("campaigns:post_edit", kwargs={"post_id": post.pk}), data)
    assert response.status_code == 302, response.context["form"].errors
    post.refresh_from_db()
    assert post.state == PostState.APPROVED
