"""The fakes of the video networks, which get the library's video: TikTok and YouTube."""

from networks.base import Network
from networks.tests.conftest import load

from .base import Fake


class TikTok(Fake):
    network = Network.TIKTOK
    media = "video"
    account = {"external_id": "-000OqyU4r2h2-nJ5tkFZkYVi8UuUbvwPDVw"}
    options = {"privacy_level": "PUBLIC_TO_EVERYONE", "mode": "direct", "disable_comment": "on"}
    stored_options = {**options, "disable_comment": True}
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
            "title": composed.text_and_link,
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
                "description": composed.text_and_link,
                "categoryId": "19",
            },
            "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
        }
        assert self.sent("start").headers["X-Upload-Content-Type"] == "video/mp4"
        assert self.sent("bytes").content == composed.video
