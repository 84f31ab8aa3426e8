"""The fakes of Mastodon, Bluesky, X and the LinkedIn page and profile."""

from networks.base import Network
from networks.tests.conftest import load

from .base import LINKEDIN, Fake


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
            "status": composed.text_and_link,
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
        assert record["text"] == composed.text_and_link
        features = [f for facet in record["facets"] for f in facet["features"]]
        assert [f.get("uri") for f in features] == [composed.link]  # the link is clickable
        (image,) = record["embed"]["images"]
        assert image["alt"] == composed.alt_text
        assert image["image"] == load("bluesky_upload_blob.json")["blob"]
        assert image["aspectRatio"] == {"width": 1080, "height": 1080}
        assert self.sent("blob").content == composed.image


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
        assert (post["author"], post["commentary"]) == (author, composed.text_and_link)
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
            "text": composed.text_and_link,
            "media": {"media_ids": [media_id]},
        }
        assert composed.image in self.sent("upload").content
        assert self.sent_json("alt") == {
            "id": media_id,
            "metadata": {"alt_text": {"text": composed.alt_text}},
        }
