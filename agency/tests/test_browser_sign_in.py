"""The client's passwordless sign-in, in a real browser: ask for a link, open it, confirm."""

import re

import pytest
from django.core import mail

from agency.models import SignInLink

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_client_signs_in_with_the_emailed_link(page, live_server, client_of_a, eager_tasks):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with a link sent by e-mail").click()
    page.get_by_label("Email address").fill(client_of_a.user.email)
    page.get_by_role("button", name="Send me a sign-in link").click()
    page.get_by_test_id("sign-in-link-sent").wait_for()

    assert len(mail.outbox) == 1
    path = re.search(r"(/sign-in/link/\S+/)", mail.outbox[0].body).group(1)
    page.goto(path)
    # Opening the link signs nobody in: the page asks to confirm, and the link is unspent.
    assert page.get_by_role("button", name="Sign me in").is_visible()
    assert SignInLink.unscoped.get().used_at is None

    page.get_by_role("button", name="Sign me in").click()
    page.wait_for_load_state()

    assert "/accounts/login/" not in page.url and "/sign-in/" not in page.url
    assert SignInLink.unscoped.get().used_at is not None
    # The link is spent: opening it again in the same browser says so.
    page.goto(path)
    assert "already used" in page.content()
