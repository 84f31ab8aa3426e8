"""The mention stream in a real browser (issue 17): a mention stored while the page is open
appears on top of the stream without a reload, once, under the page's filters."""

import pytest

from reputation.tests.factories import MentionFactory
from reputation.views import mentions as mention_views

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # agency.tests.factories.UserFactory's


def _sign_in(page, member):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(member.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_new_mention_appears_on_top_once_without_a_reload(
    page, agency_a, brand_a, owner_of_a, monkeypatch
):
    monkeypatch.setattr(mention_views, "LIVE_POLL_SECONDS", 1)  # the page's 30 s, shortened
    MentionFactory(agency=agency_a, brand=brand_a, title="Déjà là", sentiment_label="negative")
    _sign_in(page, owner_of_a)
    page.goto("/listening/?sentiment=negative")
    page.evaluate("window.notReloaded = true")
    rows = page.locator("#mention-stream > article")
    assert rows.count() == 1

    MentionFactory(agency=agency_a, brand=brand_a, title="Hors filtre", sentiment_label="positive")
    new = MentionFactory(
        agency=agency_a, brand=brand_a, title="Panne à Tanger", sentiment_label="negative"
    )
    page.locator(f"#mention-{new.pk}").wait_for(state="visible", timeout=5_000)
    page.wait_for_timeout(2_500)  # two more polls: nothing is added twice
    assert rows.count() == 2
    assert rows.first.get_attribute("id") == f"mention-{new.pk}"
    assert "Hors filtre" not in page.locator("#mention-stream").inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert "1 new mention added at the top." in page.locator("#mention-stream-news").inner_text()
