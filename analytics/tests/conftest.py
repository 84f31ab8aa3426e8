import datetime as dt

import pytest
from django.utils import translation

from campaigns.tests.factories import PostFactory, PostVariantFactory
from clients.tests.factories import SocialAccountFactory

# Publication time of the posts in these tests; the collector is given its "now".
T = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def published():
    """A variant published at T on a new account: ``published(agency, brand, network=...)``."""

    def make(agency, brand, *, network="mastodon", external_id="113401", at=T, **account):
        account = SocialAccountFactory(agency=agency, brand=brand, network=network, **account)
        post = PostFactory(agency=agency, brand=brand)
        return PostVariantFactory(
            agency=agency,
            post=post,
            social_account=account,
            state="published",
            external_id=external_id,
            published_at=at,
        )

    return make
