"""The composer in a real browser (issue 17): changing the brand keeps the text typed so far,
and a text never saved comes back after the page is closed, with a notice."""

import pytest

from clients.tests.factories import BrandFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # agency.tests.factories.UserFactory's


def _sign_in(page, member):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(member.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_brand_change_keeps_the_text_and_an_unsaved_text_comes_back(
    page, agency_a, brand_a, member_of_a
):
    other = BrandFactory(agency=agency_a, name="Maison Rabat")
    _sign_in(page, member_of_a)
    page.goto(f"/posts/new/?brand={brand_a.pk}")
    assert page.locator("#composer-restored").is_hidden()  # nothing saved yet
    page.locator("#id_text").fill("Notre ftour ce soir")
    page.locator("#id_first_comment").fill("#ramadan")

    page.locator("#composer-brand").select_option(str(other.pk))
    page.wait_for_url(lambda url: f"brand={other.pk}" in url)
    assert page.locator("#id_text").input_value() == "Notre ftour ce soir"
    assert page.locator("#id_first_comment").input_value() == "#ramadan"

    page.locator("#id_text").fill("Notre ftour ce soir, à Rabat")
    page.wait_for_timeout(800)  # the autosave waits for a pause in typing
    page.goto(f"/posts/new/?brand={other.pk}")
    page.locator("#composer-restored").wait_for(state="visible")
    assert page.locator("#id_text").input_value() == "Notre ftour ce soir, à Rabat"

    page.get_by_role("button", name="Discard it").click()
    assert page.locator("#id_text").input_value() == ""
    page.goto(f"/posts/new/?brand={other.pk}")
    assert page.locator("#composer-restored").is_hidden()

    # Sent: the browser forgets it (whether the page then saved it or showed an error).
    page.locator("#id_text").fill("Un autre texte")
    page.wait_for_timeout(800)
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    page.goto(f"/posts/new/?brand={other.pk}")
    assert page.locator("#composer-restored").is_hidden()
    assert page.locator("#id_text").input_value() == ""
