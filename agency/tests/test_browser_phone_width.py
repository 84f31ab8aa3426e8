"""The main pages at a phone's width (390 x 844, issue 17): no sideways scroll, the user menu in
view, the queue's Retry button reachable by scrolling its table, the month view a list of the
days that have posts, and the sidebar's background down to the page's bottom.

One browser tab and one sign-in for every page, so the check stays a few seconds long."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import PostState, VariantState
from campaigns.tests.factories import PostFactory, PostVariantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # agency.tests.factories.UserFactory's
PHONE = {"width": 390, "height": 844}


def _failed_publication(agency, brand, author):
    # A long unbroken error, as networks send them: it must wrap, not widen the page.
    post = PostFactory(
        agency=agency,
        brand=brand,
        author=author,
        title="Soirée jazz",
        state=PostState.FAILED,
        scheduled_at=timezone.now() - dt.timedelta(hours=1),
    )
    return PostVariantFactory(
        agency=agency,
        post=post,
        state=VariantState.FAILED,
        due_at=timezone.now() - dt.timedelta(hours=1),
        last_error="OAuthException:" + "x" * 120,
    )


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= PHONE["width"]
        and box["y"] + box["height"] > 0
    )


def test_the_main_pages_fit_a_phone(chromium, live_server, agency_a, brand_a, member_of_a):
    # Long names, as real agencies have: the top bar's switchers must truncate, not push the
    # user menu off the screen.
    agency_a.name = "Agence Atlas Digital Casablanca-Marrakech"
    agency_a.save(update_fields=["name"])
    _failed_publication(agency_a, brand_a, member_of_a.user)
    context = chromium.new_context(locale="en-GB", base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(member_of_a.user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

        pages = [
            "/",
            "/calendar/?view=month",
            "/queue/",
            "/listening/",
            "/inbox/",
            "/analytics/",
            f"/brands/{brand_a.pk}/",
        ]
        too_wide = {}
        for path in pages:
            page.goto(path)
            if (extra := _overflow(page)) > 0:
                too_wide[path] = extra
            assert page.locator(".app-user").is_visible(), path
            assert _in_viewport(page, page.locator(".app-user")), path
        assert too_wide == {}, f"pages wider than the phone (px): {too_wide}"

        # The queue: the table scrolls inside its own box, and its Retry button is reachable.
        page.goto("/queue/")
        retry = page.get_by_role("button", name="Retry")
        retry.scroll_into_view_if_needed()
        assert _in_viewport(page, retry)
        assert _overflow(page) <= 0

        # The month view: on a phone, the days with posts as a list, not 35 empty boxes.
        page.goto("/calendar/?view=month")
        boxes = page.locator(".cal-day")
        visible_boxes = sum(1 for i in range(boxes.count()) if boxes.nth(i).is_visible())
        assert visible_boxes < 28
        assert page.get_by_text("Soirée jazz").first.is_visible()

        # The sidebar's background reaches the bottom of a long page (desktop width).
        page.set_viewport_size({"width": 1280, "height": 600})
        page.goto("/queue/")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        gap = page.evaluate(
            "window.innerHeight"
            " - document.querySelector('.app-sidebar').getBoundingClientRect().bottom"
        )
        assert gap <= 1
    finally:
        context.close()
