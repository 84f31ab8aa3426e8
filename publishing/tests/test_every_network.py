"""Issue 15's "done when": one post for every network the product knows goes from the composer
through approval to published, in one test.

A brand has one connected account per network; the post carries a link and a library image, the
video networks the library's video as their own media. It is composed on the composer page
with each network's required options (the TikTok privacy level among those the creator's
account allows, asked from TikTok when the composer opens), approved by the agency's owner and
the client's approver, then published by the dispatcher and a worker in-process at its time.
Every network is faked at the transport (every_network/): a network added to the
product without a fake fails the first assertion.
"""

import datetime as dt
import html
import io
import re
import zoneinfo
from urllib.parse import urlsplit

import pytest
import respx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from campaigns.models import Post, PostState, PostVariant, VariantState
from campaigns.services.media import media_asset_upload
from campaigns.tests.factories import PublishingPolicyFactory
from clients.tests.factories import SocialAccountFactory
from core.tests import files
from networks.base import Network
from networks.registry import ADAPTERS
from publishing.tests.every_network import FAKES, Composed
from publishing.tests.helpers import dispatch_and_publish

TEXT = "Ftour du vendredi au Café Tanger : harira, msemen et thé à la menthe dès 19 h 30."
ALT_TEXT = "Une table de ftour dressée sur la terrasse"
LINK = "https://cafe-tanger.ma/ftour"


@pytest.fixture(autouse=True)
def _deployment(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Library files reach the networks that fetch media themselves by a signed address here.
    settings.SITE_URL = "https://app.agence.ma"
    # The networks' names resolve to a public address (no DNS in tests): the outbound guard
    # lets the calls to user-chosen servers (Mastodon, Bluesky) through to respx.
    settings.OUTBOUND_RESOLVER = lambda host, port: ["93.184.215.14"]
    # The fakes' addresses are the adapters' defaults.
    settings.META_GRAPH_API_VERSION = ""
    settings.META_GRAPH_BASE_URL = "https://graph.facebook.com"
    settings.LINKEDIN_API_VERSION = ""


def _library(member, brand, in_agency):
    out = io.BytesIO()
    Image.new("RGB", (1080, 1080), (200, 120, 40)).save(out, "JPEG")
    image = SimpleUploadedFile("Ftour.jpg", out.getvalue(), content_type="image/jpeg")
    video = SimpleUploadedFile(
        "Ftour.mp4",
        files.minimal_mp4(duration=15_000, width=1080, height=1920),
        content_type="video/mp4",
    )
    with in_agency(brand.agency_id):
        return (
            media_asset_upload(actor=member, brand=brand, upload=image, alt_text=ALT_TEXT),
            media_asset_upload(actor=member, brand=brand, upload=video, alt_text=ALT_TEXT),
        )


def _signed_out_download(url: str) -> bytes:
    assert url.startswith("https://app.agence.ma/m/"), url
    response = Client().get(urlsplit(url).path)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _composer_data(brand, accounts, image, video, local_time) -> dict:
    data = {
        "brand": brand.pk,
        "accounts": [account.pk for account, _fake in accounts],
        "title": "Ftour du vendredi",
        "text": TEXT,
        "link": LINK,
        "media": [image.pk],
        "scheduled_at": local_time.strftime("%Y-%m-%dT%H:%M"),
        "submit": "1",
    }
    for account, fake in accounts:
        if fake.media == "video":
            data[f"media_{account.pk}"] = [video.pk]
        for name, value in fake.options.items():
            data[f"option_{account.pk}_{name}"] = value
    return data


def test_one_post_goes_from_the_composer_through_approval_to_published_on_every_network(
    agency_a, brand_a, member_of_a, owner_of_a, client_of_a, login, in_agency
):
    assert {fake.network for fake in FAKES} == set(Network) == set(ADAPTERS), (
        "every network needs its fake in publishing/tests/every_network FAKES"
    )
    PublishingPolicyFactory(agency=agency_a, brand=brand_a, approval_mode="internal_client")
    accounts = [
        (
            SocialAccountFactory(
                agency=agency_a,
                brand=brand_a,
                network=fake.network,
                handle=f"cafe-tanger-{fake.network}",
                access_token=f"token-{fake.network}",
                **{"instance_url": "", **fake.account},
            ),
            fake,
        )
        for fake in FAKES
    ]
    image, video = _library(member_of_a, brand_a, in_agency)
    tomorrow = dt.datetime.now(zoneinfo.ZoneInfo(brand_a.time_zone)) + dt.timedelta(days=1)
    local_time = tomorrow.replace(hour=19, minute=0, second=0, microsecond=0, tzinfo=None)

    with respx.mock(assert_all_called=True) as router:
        fakes = {fake.network: fake(router, f"token-{fake.network}") for fake in FAKES}
        tiktok = next(account for account, fake in accounts if fake.network == Network.TIKTOK)
        # 1. The composer opens with each network's options; the account's own choices are
        # asked from the network: TikTok's privacy levels the creator allows, the boards.
        cm = login(member_of_a)
        page = cm.get(reverse("campaigns:post_create"), {"brand": brand_a.pk}).content.decode()
        assert f'name="option_{tiktok.pk}_privacy_level"' in page
        assert 'value="MUTUAL_FOLLOW_FRIENDS"' in page and 'value="FOLLOWER_OF_CREATOR"' not in page
        # Pinterest's boards, both pages of them, without the secret one.
        assert ">Terrasse<" in page and ">Événements<" not in page
        # 2. Composed for every account and submitted for approval.
        response = cm.post(
            reverse("campaigns:post_create"),
            _composer_data(brand_a, accounts, image, video, local_time),
        )
        assert response.status_code == 302, re.findall(
            r"(?s)alert-danger.{0,600}|invalid-feedback.{0,300}", response.content.decode()
        )
        post = Post.unscoped.get(brand=brand_a)
        assert post.state == PostState.IN_REVIEW
        # 3. Approved by the agency's owner, then by the client's approver.
        login(owner_of_a).post(reverse("campaigns:post_approve", kwargs={"post_id": post.pk}))
        login(client_of_a).post(reverse("campaigns:post_approve", kwargs={"post_id": post.pk}))
        post.refresh_from_db()
        assert post.state == PostState.SCHEDULED
        variants = {
            v.social_account.network: v
            for v in PostVariant.unscoped.filter(post=post).select_related("social_account")
        }
        for network, fake in fakes.items():
            stored = variants[network].network_options
            chosen = {k: v for k, v in stored.items() if k in fake.stored_options}
            unticked = {k: v for k, v in stored.items() if k not in fake.stored_options}
            assert chosen == fake.stored_options, network
            # Every other option is a box left unticked (paid partnership, duets...).
            assert set(unticked.values()) <= {False}, (network, unticked)
        # 4. Nothing goes out before its time; at its time the dispatcher and a worker publish.
        assert dispatch_and_publish() == {}
        outcomes = dispatch_and_publish(now=post.scheduled_at + dt.timedelta(minutes=1))

    assert outcomes == {variant.pk: "published" for variant in variants.values()}
    composed = Composed(
        text=TEXT,
        link=LINK,
        image=image.file.open("rb").read(),
        video=video.file.open("rb").read(),
        alt_text=ALT_TEXT,
        opens=_signed_out_download,
    )
    for network, fake in fakes.items():
        variant = PostVariant.unscoped.get(pk=variants[network].pk)
        assert variant.state == VariantState.PUBLISHED, (network, variant.last_error)
        assert (variant.external_id, variant.external_url) == (fake.external_id, fake.url)
        fake.check(composed)
    post.refresh_from_db()
    assert post.state == PostState.PUBLISHED
    # The post's page links to it on every network.
    detail = login(member_of_a).get(reverse("campaigns:post_detail", kwargs={"post_id": post.pk}))
    for fake in fakes.values():
        assert f'href="{html.escape(fake.url)}"' in detail.content.decode(), fake.network
