"""TikTok through Login Kit for Web (OAuth v2), the Content Posting API and the Display API.

``external_id`` is the account's ``open_id``. Publishing follows TikTok's required flow:
the creator info is read first (the privacy levels and interactions the account allows, the
longest video it may post) and checked again at publish time; then a direct post (or an
upload to the creator's inbox, which they finish in the app) is initialised, the file sent in
chunks (or pulled from its URL by TikTok), and the status polled until it is final. TikTok
gives no API to read or answer comments to third-party apps.
"""

from __future__ import annotations

from datetime import date

import httpx

from networks.adapter import NetworkAdapter, normalise_text, recognised_post
from networks.base import (
    AppCredentials,
    Capabilities,
    Credentials,
    MediaKind,
    Network,
    NetworkError,
    PermanentError,
    PostContent,
    PublishResult,
    TokenSet,
)
from networks.connect import bearer
from networks.oauth import OAuthSpec
from networks.rules import composed_text
from networks.tiktok import errors, posts, profile
from networks.tiktok import metrics as tt_metrics
from networks.tiktok.options import PUBLISH_OPTIONS, privacy_label
from networks.tiktok.publishing import API, Publisher

SCOPES = (
    "user.info.basic",  # the account's open_id, name and avatar (connecting)
    "user.info.profile",  # its @username, shown on the account and in post links
    "user.info.stats",  # its follower count (account metrics)
    "video.publish",  # direct posts, and the creator info they require
    "video.upload",  # uploads to the creator's inbox (the "inbox" mode)
    "video.list",  # its videos: recognising ours after a lost answer, post metrics
)


class TikTokAdapter(NetworkAdapter):
    network = Network.TIKTOK
    display_name = "TikTok"
    app_settings = "TIKTOK_CLIENT_KEY / TIKTOK_CLIENT_SECRET"
    # The v2 paths (/v2/...) of open.tiktokapis.com; TikTok has published no end date for
    # v2 (v1 was retired in 2024 with a migration guide), so there is no date to watch.
    api_version = "v2"
    api_retirement: date | None = None
    publish_options = PUBLISH_OPTIONS
    capabilities = Capabilities(
        publish_images=True,  # photo posts (pulled from their URLs)
        publish_video=True,
        carousel=True,  # a photo post holds up to 35 images
        read_own_posts=True,
        post_metrics=True,
        account_metrics=True,
        token_refresh=True,
        find_existing_post=True,
    )
    docs = (
        "TikTok for Developers: Login Kit for Web (https://www.tiktok.com/v2/auth/authorize/, "
        "client_key, comma-separated scope, state; PKCE only for desktop and mobile apps)",
        "TikTok for Developers: Manage User Access Tokens / Get, Refresh, Revoke a User Access "
        "Token (POST /v2/oauth/token/, /v2/oauth/revoke/; refresh tokens rotate)",
        "TikTok for Developers: OAuth Error Handling (error, error_description, log_id)",
        "TikTok for Developers: Scopes Overview (user.info.basic, user.info.profile, "
        "user.info.stats, video.publish, video.upload, video.list)",
        "TikTok for Developers: Content Posting API, Get Started (unaudited clients post "
        "SELF_ONLY only), Content Sharing Guidelines (creator info before posting)",
        "TikTok for Developers: Query Creator Info (POST /v2/post/publish/creator_info/query/)",
        "TikTok for Developers: Direct Post (POST /v2/post/publish/video/init/, post_info, "
        "source_info, error codes)",
        "TikTok for Developers: Upload (POST /v2/post/publish/inbox/video/init/)",
        "TikTok for Developers: Photo (POST /v2/post/publish/content/init/, media_type PHOTO)",
        "TikTok for Developers: Media Transfer Guide (chunk rules, PUT with Content-Range, "
        "PULL_FROM_URL and URL ownership)",
        "TikTok for Developers: Get Post Status (POST /v2/post/publish/status/fetch/, "
        "fail_reason, publicaly_available_post_id)",
        "TikTok for Developers: Display API, Get User Info (GET /v2/user/info/), List Videos "
        "(POST /v2/video/list/), Query Videos (POST /v2/video/query/)",
        "TikTok for Developers: API v2 Error Handling (error.code, HTTP statuses)",
    )
    oauth_spec = OAuthSpec(
        authorize_url="https://www.tiktok.com/v2/auth/authorize/",
        token_url=f"{API}/oauth/token/",
        default_scopes=SCOPES,
        scope_separator=",",
        pkce=False,  # Login Kit for Web: code_verifier is for desktop and mobile apps only
        client_id_param="client_key",
    )

    @staticmethod
    def auth(creds: Credentials) -> dict[str, str]:
        return bearer(creds.access_token)

    def classify_response(self, response: httpx.Response) -> NetworkError:
        return errors.classify(response)

    # ---------------------------------------------------------------- connecting

    def connected_profiles(self, tokens: TokenSet, *, app, instance_url=""):
        return profile.connected_profiles(self, tokens)

    def revoke_token(self, *, app, access_token, refresh_token, instance_url="") -> bool:
        return profile.revoke_token(self, app=app, access_token=access_token)

    def refresh(self, creds: Credentials, app: AppCredentials) -> Credentials:
        """The access token lasts a day at most (TikTok's newer pages say 2 hours); the
        answer's ``expires_in`` is stored, never a lifetime of ours. The refresh token
        rotates: the new one replaces the old (the base class keeps it)."""
        return super().refresh(creds, app)

    # ---------------------------------------------------------------- publishing

    def option_choices(self, creds: Credentials, name: str) -> list[tuple[str, str]]:
        """The privacy levels this creator's account allows right now (creator info)."""
        if name != "privacy_level":
            raise self.not_supported(f"choices for the option {name!r}")
        info = Publisher(self, creds).creator_info()
        return [(level, privacy_label(level)) for level in info.privacy_levels]

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        media = content.media
        if not media:
            raise PermanentError(
                "TikTok posts need a video or photos", code="media_required", network=self.network
            )
        text = composed_text(content, self.rules())
        publisher = Publisher(self, creds)
        videos = [m for m in media if m.kind == MediaKind.VIDEO]
        if videos:
            if len(media) > 1:
                raise PermanentError(
                    "a TikTok video post holds one video and nothing else",
                    code="video_must_be_alone",
                    network=self.network,
                )
            return publisher.video(videos[0], content.options, text)
        return publisher.photos(media, content.options, text)

    def completed(self, creds: Credentials, publish_id: str, status: dict) -> PublishResult:
        """A PUBLISH_COMPLETE post: its public video id when TikTok gives one (after
        moderation, and never for a private post: the publish id stands for it then)."""
        ids = status.get("publicaly_available_post_id") or []  # sic, TikTok's spelling
        if not ids:
            return PublishResult(external_id=publish_id, raw=status)
        video_id = str(ids[0])
        try:
            found = self._videos(creds, [video_id], "id,share_url")
            url = found[0].get("share_url", "") if found else ""
        except NetworkError:
            url = ""  # the post exists; a missing link must not fail the publication
        return PublishResult(external_id=video_id, url=url, raw=status)

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our post among the account's 20 latest public videos, by its caption (as publish
        sends it) and, with ``since``, its time. A private (SELF_ONLY) post is not listed, so
        it cannot be found this way: the engine then asks a person."""
        wanted = normalise_text(composed_text(content, self.rules()))
        videos = posts.page(self, creds).get("videos") or []
        video = recognised_post(
            videos,
            wanted,
            text_of=lambda v: normalise_text(posts.caption(v)),
            time_of=posts.created,
            since=since,
            exclude_ids=exclude_ids,
        )
        if video is None:
            return None
        return PublishResult(
            external_id=str(video["id"]), url=video.get("share_url", ""), raw=video
        )

    def list_recent_posts(self, creds, since):
        return posts.recent_posts(self, creds, since)

    # ---------------------------------------------------------------- metrics

    def _videos(self, creds: Credentials, ids: list[str], fields: str) -> list[dict]:
        response = self.request(
            "POST",
            f"{API}/video/query/",
            headers=self.auth(creds),
            params={"fields": fields},
            json={"filters": {"video_ids": ids}},
            idempotent=True,
        )
        return errors.data_of(response).get("videos") or []

    def post_metrics(self, creds, post_id):
        fields = "id," + ",".join(tt_metrics.VIDEO_FIELDS)
        videos = self._videos(creds, [post_id], fields)
        if not videos:
            raise PermanentError(
                "TikTok does not list this video (private, deleted, or not published yet)",
                code="video_not_found",
                network=self.network,
            )
        return tt_metrics.video_snapshot(videos[0])

    def account_metrics(self, creds):
        fields = "open_id," + ",".join(tt_metrics.USER_FIELDS)
        return tt_metrics.user_snapshot(profile.user_info(self, creds.access_token, fields))
