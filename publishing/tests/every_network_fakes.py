"""One fake per network for the post that goes to all of them (test_every_network.py).

Each fake says which account to connect, which publishing options the composer is given for
it and whether it gets the library's image or its video; it installs the network's endpoints
on a respx router, answering with the fixtures of the adapter's own tests
(networks/tests/fixtures, shaped like each network's documented responses); and it checks that
its requests carried what was composed. Routes match the account's token, so two networks on
one host (the LinkedIn page and the LinkedIn profile) each see only their own requests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs

from networks.base import Network
from networks.meta import DEFAULT_GRAPH_VERSION
from networks.tests.conftest import load

GRAPH = f"https://graph.facebook.com/{DEFAULT_GRAPH_VERSION}"
LINKEDIN = "https://api.linkedin.com/rest"


@dataclass
class Composed:
    """What the composer was given, as the fakes compare it with their requests."""

    text: str
    image: bytes
    video: bytes
    alt_text: str
    opens: Callable[[str], bytes]  # what a public media address serves, signed out


def form(request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


class Fake:
    network: Network
    media = "image"  # the post's image; "video": the library video as this account's media
    account: dict = {}  # SocialAccount fields besides the network and the token
    options: dict = {}  # the composer's option_<account>_<name> fields, by name
    stored_options: dict = {}  # PostVariant.network_options after the composer
    external_id = ""  # what the network's answer names the post
    url = ""

    def __init__(self, router, token: str):
        self.token = token
        self.bearer = {"Authorization": f"Bearer {token}"}
        self.routes = {}
        self.install(router)

    def install(self, router) -> None:
        raise NotImplementedError

    def check(self, composed: Composed) -> None:
        raise NotImplementedError

    def sent(self, name: str):
        """The last request of the route ``name``."""
        return self.routes[name].calls.last.request

    def sent_json(self, name: str) -> dict:
        return json.loads(self.sent(name).content)


class Mastodon(Fake):
    network = Network.MASTODON
    account = {"instance_url": "https://mastodon.example", "external_id": "109302"}
    options = {"visibility": "unlisted", "spoiler_text": "Ramadan"}
    stored_options = options
    external_id, url = "113401", "https://mastodon.example/@atlasbrand/113401"

    def install(self, router):
        api = "https://mastodon.example/api"
        self.routes["media"] = router.post(f"{api}/v2/media", headers=self.bearer).respond(
            200, json=load("mastodon_media_ready.json")
        )
        self.routes["status"] = router.post(f"{api}/v1/statuses", headers=self.bearer).respond(
            200, json=load("mastodon_status.json")
        )

    def check(self, composed):
        assert self.sent_json("status") == {
            "status": composed.text,
            "visibility": "unlisted",
            "spoiler_text": "Ramadan",
            "media_ids": ["22348641"],
        }
        upload = self.sent("media").content
        assert composed.image in upload and composed.alt_text.encode() in upload


class Bluesky(Fake):
    network = Network.BLUESKY
    did = "did:plc:z72i7hdynmk6r22z27h6tvur"
    account = {"instance_url": "https://bsky.social", "external_id": did}
    external_id = f"at://{did}/app.bsky.feed.post/3l6oveex3ii2l"
    url = f"https://bsky.app/profile/{did}/post/3l6oveex3ii2l"

    def install(self, router):
        xrpc = "https://bsky.social/xrpc"
        self.routes["blob"] = router.post(
            f"{xrpc}/com.atproto.repo.uploadBlob", headers=self.bearer
        ).respond(200, json=load("bluesky_upload_blob.json"))
        self.routes["record"] = router.post(
            f"{xrpc}/com.atproto.repo.createRecord", headers=self.bearer
        ).respond(200, json=load("bluesky_create_record.json"))

    def check(self, composed):
        record = self.sent_json("record")["record"]
        assert record["text"] == composed.text
        (image,) = record["embed"]["images"]
        assert image["alt"] == composed.alt_text
        assert image["image"] == load("bluesky_upload_blob.json")["blob"]
        assert image["aspectRatio"] == {"width": 1080, "height": 1080}
        assert self.sent("blob").content == composed.image


class Facebook(Fake):
    network = Network.FACEBOOK
    account = {"external_id": "104729925234"}
    external_id = load("facebook_photo.json")["post_id"]
    url = f"https://www.facebook.com/{external_id}"

    def install(self, router):
        self.routes["photo"] = router.post(f"{GRAPH}/104729925234/photos").respond(
            200, json=load("facebook_photo.json")
        )

    def check(self, composed):
        photo = form(self.sent("photo"))
        assert photo["caption"] == composed.text and photo["published"] == "true"
        assert photo["access_token"] == self.token
        assert composed.opens(photo["url"]) == composed.image  # Facebook fetches it


class Instagram(Fake):
    network = Network.INSTAGRAM
    ig = "17841405822304914"
    account = {"external_id": ig}
    external_id, url = "17920238422030506", "https://www.instagram.com/p/C4xYz12AbCd/"

    def install(self, router):
        token = {"access_token": self.token}
        router.get(f"{GRAPH}/{self.ig}/content_publishing_limit", params=token).respond(
            200, json=load("instagram_publishing_limit.json")
        )
        self.routes["container"] = router.post(f"{GRAPH}/{self.ig}/media").respond(
            200, json=load("instagram_container.json")
        )
        router.get(f"{GRAPH}/17889455560051444", params=token).respond(
            200, json=load("instagram_container_finished.json")
        )
        self.routes["publish"] = router.post(f"{GRAPH}/{self.ig}/media_publish").respond(
            200, json=load("instagram_media_publish.json")
        )
        router.get(f"{GRAPH}/{self.external_id}", params=token).respond(
            200, json=load("instagram_permalink.json")
        )

    def check(self, composed):
        container = form(self.sent("container"))
        assert container["caption"] == composed.text
        assert container["alt_text"] == composed.alt_text
        assert container["access_token"] == self.token
        assert composed.opens(container["image_url"]) == composed.image  # Instagram fetches it
        assert form(self.sent("publish"))["creation_id"] == "17889455560051444"


class LinkedIn(Fake):
    network = Network.LINKEDIN
    account = {"external_id": "urn:li:organization:2414183"}
    share = "urn:li:share:7212345678901234567"
    external_id, url = share, f"https://www.linkedin.com/feed/update/{share}/"

    def install(self, router):
        init = load("linkedin_image_init.json")
        self.routes["init"] = router.post(
            f"{LINKEDIN}/images", params={"action": "initializeUpload"}, headers=self.bearer
        ).respond(200, json=init)
        self.routes["bytes"] = router.put(init["value"]["uploadUrl"], headers=self.bearer).respond(
            201
        )
        # Posts API: 201 Created, the new post's URN in the x-restli-id header, no body.
        self.routes["post"] = router.post(f"{LINKEDIN}/posts", headers=self.bearer).respond(
            201, headers={"x-restli-id": self.share}
        )

    def check(self, composed):
        author = self.account["external_id"]
        assert self.sent_json("init") == {"initializeUploadRequest": {"owner": author}}
        assert self.sent("bytes").content == composed.image
        post = self.sent_json("post")
        assert (post["author"], post["commentary"]) == (author, composed.text)
        assert post["content"] == {
            "media": {"id": "urn:li:image:D4D10AQHgMaVvlUK6rQ", "altText": composed.alt_text}
        }


class LinkedInProfile(LinkedIn):
    network = Network.LINKEDIN_PROFILE
    account = {"external_id": f"urn:li:person:{load('linkedin_profile_userinfo.json')['sub']}"}
    share = "urn:li:share:7212345678901234999"
    external_id, url = share, f"https://www.linkedin.com/feed/update/{share}/"


class X(Fake):
    network = Network.X
    account = {"external_id": "2244994945"}
    external_id = load("x_tweet_created.json")["data"]["id"]
    url = f"https://x.com/i/web/status/{external_id}"

    def install(self, router):
        api = "https://api.x.com/2"
        self.routes["upload"] = router.post(f"{api}/media/upload", headers=self.bearer).respond(
            200, json=load("x_media_upload.json")
        )
        self.routes["alt"] = router.post(f"{api}/media/metadata", headers=self.bearer).respond(
            200, json={"data": {}}
        )
        self.routes["tweet"] = router.post(f"{api}/tweets", headers=self.bearer).respond(
            201, json=load("x_tweet_created.json")
        )

    def check(self, composed):
        media_id = load("x_media_upload.json")["data"]["id"]
        assert self.sent_json("tweet") == {
            "text": composed.text,
            "media": {"media_ids": [media_id]},
        }
        assert composed.image in self.sent("upload").content
        assert self.sent_json("alt") == {
            "id": media_id,
            "metadata": {"alt_text": {"text": composed.alt_text}},
        }


class TikTok(Fake):
    network = Network.TIKTOK
    media = "video"
    account = {"external_id": "-000OqyU4r2h2-nJ5tkFZkYVi8UuUbvwPDVw"}
    options = {"privacy_level": "PUBLIC_TO_EVERYONE", "mode": "direct", "disable_comment": "on"}
    stored_options = {
        "privacy_level": "PUBLIC_TO_EVERYONE",
        "mode": "direct",
        "disable_comment": True,
        "disable_duet": False,
        "disable_stitch": False,
        "brand_organic_toggle": False,
        "brand_content_toggle": False,
    }
    query = load("tiktok_video_query.json")["data"]["videos"][0]
    external_id, url = query["id"], query["share_url"]

    def install(self, router):
        api = "https://open.tiktokapis.com/v2"
        init = load("tiktok_video_init.json")
        # Asked by the composer (the privacy levels it offers) and again before publishing.
        self.routes["creator"] = router.post(
            f"{api}/post/publish/creator_info/query/", headers=self.bearer
        ).respond(200, json=load("tiktok_creator_info.json"))
        self.routes["init"] = router.post(
            f"{api}/post/publish/video/init/", headers=self.bearer
        ).respond(200, json=init)
        self.routes["bytes"] = router.put(init["data"]["upload_url"]).respond(201)
        self.routes["status"] = router.post(
            f"{api}/post/publish/status/fetch/", headers=self.bearer
        ).respond(200, json=load("tiktok_status_complete.json"))
        router.post(f"{api}/video/query/", headers=self.bearer).respond(
            200, json=load("tiktok_video_query.json")
        )

    def check(self, composed):
        init = self.sent_json("init")
        assert init["post_info"] == {
            "title": composed.text,
            "privacy_level": "PUBLIC_TO_EVERYONE",
            "disable_comment": True,
            "disable_duet": False,
            "disable_stitch": True,  # the creator turned stitches off in the app
            "video_cover_timestamp_ms": 1000,
            "brand_content_toggle": False,
            "brand_organic_toggle": False,
        }
        size = len(composed.video)
        assert init["source_info"] == {
            "source": "FILE_UPLOAD",
            "video_size": size,
            "chunk_size": size,
            "total_chunk_count": 1,
        }
        assert self.sent("bytes").content == composed.video
        publish_id = load("tiktok_video_init.json")["data"]["publish_id"]
        assert self.sent_json("status") == {"publish_id": publish_id}


class YouTube(Fake):
    network = Network.YOUTUBE
    media = "video"
    account = {"external_id": "UC_x5XG1OV2P6uZZ5FSM9Ttw"}
    options = {"title": "Ftour au Café Tanger", "privacy_status": "unlisted", "category_id": "19"}
    stored_options = {**options, "made_for_kids": False}
    session = "https://www.googleapis.com/upload/youtube/v3/videos?upload_id=xa298sd_f"
    external_id, url = "Ks-_Mh1QhMc", "https://www.youtube.com/watch?v=Ks-_Mh1QhMc"

    def install(self, router):
        upload = "https://www.googleapis.com/upload/youtube/v3/videos"
        # Resumable uploads: the session's address in Location, then the bytes PUT there.
        self.routes["start"] = router.post(
            upload, params={"uploadType": "resumable"}, headers=self.bearer
        ).respond(200, headers={"Location": self.session})
        self.routes["bytes"] = router.put(self.session, headers=self.bearer).respond(
            200, json=load("youtube_video_inserted.json")
        )

    def check(self, composed):
        assert self.sent_json("start") == {
            "snippet": {
                "title": "Ftour au Café Tanger",
                "description": composed.text,
                "categoryId": "19",
            },
            "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
        }
        assert self.sent("start").headers["X-Upload-Content-Type"] == "video/mp4"
        assert self.sent("bytes").content == composed.video


FAKES: tuple[type[Fake], ...] = (
    Mastodon,
    Bluesky,
    Facebook,
    Instagram,
    LinkedIn,
    X,
    LinkedInProfile,
    TikTok,
    YouTube,
)
