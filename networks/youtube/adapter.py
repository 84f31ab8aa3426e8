"""YouTube Data API v3 with Google's OAuth 2.0 (authorisation code, PKCE, offline access).

``external_id`` is the channel id (``UC…``). A post is one video: its description is the
post's text, its title, privacy and made-for-kids declaration are publishing options
(networks/youtube/options.py). The video goes up through the resumable upload protocol
(networks/youtube/upload.py), then the optional custom thumbnail.

Quota (docs/networks.md, "YouTube"): a Google project has 10,000 units a day, reset at
midnight Pacific time; each call costs what ``QUOTA_COSTS`` says, and search and uploads are
the expensive ones. The adapter reads as few pages as it can and names each call's cost.
"""

from __future__ import annotations

from datetime import date

import httpx

from networks.adapter import NetworkAdapter, normalise_text
from networks.base import (
    Capabilities,
    Credentials,
    MediaItem,
    MediaKind,
    Network,
    NetworkError,
    PermanentError,
    PostContent,
    PublishResult,
)
from networks.oauth import OAuthSpec
from networks.options import check_options
from networks.rules import composed_text
from networks.youtube import comments, errors, posts, profile
from networks.youtube import metrics as yt_metrics
from networks.youtube.options import PUBLISH_OPTIONS
from networks.youtube.upload import DEFAULT_CHUNK, UPLOAD_ROOT, ChunkSource, start_session, upload

API = "https://www.googleapis.com/youtube/v3"
SCOPES = (
    # videos.insert and thumbnails.set.
    "https://www.googleapis.com/auth/youtube.upload",
    # channels, playlistItems, videos and search lists: reading without the right to change.
    "https://www.googleapis.com/auth/youtube.readonly",
    # comments.insert, setModerationStatus and delete take only this scope (or the full
    # "youtube" scope, which would also allow deleting videos: not asked for).
    "https://www.googleapis.com/auth/youtube.force-ssl",
)

# Units per call ("YouTube Data API (v3) - Quota Calculator"). search.list and videos.insert
# were 100 and 1,600 units of the daily 10,000; Google has since moved them to buckets of
# their own (100 calls a day each): either way about 100 a day per project.
QUOTA_COSTS = {
    "channels.list": 1,
    "playlistItems.list": 1,
    "videos.list": 1,
    "commentThreads.list": 1,
    "comments.list": 1,
    "comments.insert": 50,
    "comments.setModerationStatus": 50,
    "comments.delete": 50,
    "thumbnails.set": 50,
    "search.list": 100,
    "videos.insert": 1600,
}


class YouTubeAdapter(NetworkAdapter):
    network = Network.YOUTUBE
    display_name = "YouTube"
    app_settings = "YOUTUBE_CLIENT_ID / YOUTUBE_CLIENT_SECRET"
    api_root = API
    api_version = "v3"
    api_retirement: date | None = None  # Google has announced no end to v3
    upload_chunk_size = DEFAULT_CHUNK
    publish_options = PUBLISH_OPTIONS
    search_cursor = "time"  # search.list goes on from publishedAfter
    # search.list costs 100 of the project's 10,000 daily units: hourly is 2,400 a source.
    min_search_interval_minutes = 60
    capabilities = Capabilities(
        publish_video=True,
        read_comments=True,
        read_own_posts=True,
        search_mentions=True,
        reply=True,
        hide_comment=True,
        delete_comment=True,
        post_metrics=True,
        account_metrics=True,
        token_refresh=True,
        find_existing_post=True,
    )
    docs = (
        "YouTube Data API: Resumable Uploads (session URI, Content-Range, 308 Resume "
        "Incomplete and its Range header, checking an interrupted upload's status)",
        "YouTube Data API reference: Videos: insert (256 GB, video/*, snippet and status, "
        "private-only uploads from unaudited projects), Videos: list (statistics), "
        "Videos resource (snippet.title 100 characters, description 5,000 bytes, no < >, "
        "status.privacyStatus, status.selfDeclaredMadeForKids)",
        "YouTube Data API reference: Thumbnails: set (JPEG/PNG, 2 MB)",
        "YouTube Data API reference: Channels: list (mine, snippet, contentDetails."
        "relatedPlaylists.uploads, statistics, hiddenSubscriberCount), PlaylistItems: list",
        "YouTube Data API reference: CommentThreads: list and resource, Comments: insert, "
        "setModerationStatus (heldForReview, published, rejected), delete",
        "YouTube Data API reference: Search: list (q, type=video, publishedAfter, order=date)",
        "YouTube Data API: Quota Calculator (determine_quota_cost), Errors (quotaExceeded, "
        "forbidden, badRequest...), revision history (uploadLimitExceeded)",
        "Google Identity: Using OAuth 2.0 for Web Server Applications (access_type=offline, "
        "prompt=consent, PKCE, refresh, revoke), OAuth 2.0 Scopes for Google APIs (YouTube)",
        "YouTube Help: Upload videos longer than 15 minutes, supported file formats",
    )
    oauth_spec = OAuthSpec(
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        default_scopes=SCOPES,
        pkce=True,
        client_auth="body",
        # offline: a refresh token; consent: Google sends it again on a reconnection (else
        # only the first consent carries one).
        extra_authorize_params={
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
        },
    )

    @staticmethod
    def auth(creds: Credentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {creds.access_token}"}

    def classify_response(self, response: httpx.Response) -> NetworkError:
        return errors.classify(response, network=self.network)

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, tokens)

    def revoke_token(self, *, app, access_token, refresh_token, instance_url="") -> bool:
        return profile.revoke_token(
            self, app=app, access_token=access_token, refresh_token=refresh_token
        )

    # ---------------------------------------------------------------- publishing

    def _video_resource(self, content: PostContent) -> dict:
        """The video resource sent with the upload, refused before any call if incomplete
        (an upload costs 1,600 units or one of the day's 100)."""
        words = [p.message for p in check_options(self.publish_options, content.options)]
        title = str(content.options.get("title") or "")
        if "<" in title or ">" in title:
            words.append("the title may not contain < or >")
        if words:
            raise PermanentError(
                "YouTube needs: " + "; ".join(words), code="invalid_options", network=self.network
            )
        options = content.options
        snippet = {"title": title, "description": composed_text(content, self.rules())}
        if options.get("category_id"):
            snippet["categoryId"] = str(options["category_id"])
        return {
            "snippet": snippet,
            "status": {
                "privacyStatus": options["privacy_status"],
                "selfDeclaredMadeForKids": bool(options["made_for_kids"]),
            },
        }

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        resource = self._video_resource(content)
        videos = [m for m in content.media if m.kind == MediaKind.VIDEO]
        if len(videos) != 1 or len(content.media) != 1:
            raise PermanentError(
                "a YouTube post is exactly one video", code="media_required", network=self.network
            )
        item = videos[0]
        source = ChunkSource.of(self, item)
        mime = item.mime_type or "application/octet-stream"
        session = start_session(self, creds, resource, size=source.size, mime=mime)
        video = upload(self, creds, session, source, mime)
        video_id = str(video["id"])
        warnings = []
        thumbnail = str(content.options.get("thumbnail_url") or "")
        if thumbnail:
            try:
                self._set_thumbnail(creds, video_id, thumbnail)
            except NetworkError as exc:
                # The video is out: failing now would publish it again at the next attempt.
                warnings.append(f"the video is published but its thumbnail was not set: {exc}")
        return PublishResult(
            external_id=video_id, url=posts.watch_url(video_id), raw=video, warnings=warnings
        )

    def _set_thumbnail(self, creds: Credentials, video_id: str, url: str) -> None:
        image = MediaItem(kind=MediaKind.IMAGE, mime_type="", url=url)
        data = self.media_bytes(image)
        mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
        self.request(
            "POST",
            f"{UPLOAD_ROOT}/thumbnails/set",
            headers={**self.auth(creds), "Content-Type": mime},
            params={"videoId": video_id, "uploadType": "media"},
            content=data,
            idempotent=True,  # setting the same thumbnail twice is harmless
        )

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our video among the channel's 25 latest uploads, by title and description."""
        title = str(content.options.get("title") or "")
        wanted = normalise_text(posts.video_text(title, composed_text(content, self.rules())))
        return posts.existing_video(self, creds, wanted, since=since, exclude_ids=exclude_ids)

    def list_recent_posts(self, creds, since):
        return posts.recent_posts(self, creds, since)

    # ---------------------------------------------------------------- engagement

    def list_comments(self, creds, post_id, since=None):
        return comments.list_comments(self, creds, post_id, since)

    def reply(self, creds, parent_id, text):
        return comments.reply(self, creds, parent_id, text)

    def hide_comment(self, creds, comment_id, hidden=True):
        status = "heldForReview" if hidden else "published"
        comments.set_moderation(self, creds, comment_id, status)

    def delete_comment(self, creds, comment_id):
        comments.delete(self, creds, comment_id)

    def search_mentions(self, creds, query, since_id=None):
        return comments.search(self, creds, query, since_id)

    # ---------------------------------------------------------------- metrics

    def post_metrics(self, creds, post_id):
        body = self.request(
            "GET",
            f"{API}/videos",
            headers=self.auth(creds),
            params={"part": "statistics", "id": post_id},
        ).json()
        items = body.get("items") or []
        if not items:
            raise PermanentError(
                "YouTube cannot find that video", code="videoNotFound", network=self.network
            )
        return yt_metrics.video_snapshot(items[0])

    def account_metrics(self, creds):
        body = self.request(
            "GET",
            f"{API}/channels",
            headers=self.auth(creds),
            params={"part": "statistics", "mine": "true"},
        ).json()
        items = body.get("items") or []
        channel = next((c for c in items if c.get("id") == creds.external_id), None)
        if channel is None and items:
            channel = items[0]
        if channel is None:
            raise PermanentError(
                "this Google account has no YouTube channel",
                code="no_channel",
                network=self.network,
            )
        return yt_metrics.channel_snapshot(channel)
