"""LinkedIn versioned REST API (Posts, Images, Videos, Social Actions) for organisation pages.

``external_id`` is the author URN (``urn:li:organization:…`` for a page, ``urn:li:person:…``).
Every call sends ``LinkedIn-Version`` (configurable) and ``X-Restli-Protocol-Version: 2.0.0``.
A sunset version (HTTP 426) becomes a :class:`PermanentError` whose explanation says to raise
the configured version; deprecation headers on successful answers are logged and returned as
``PublishResult.warnings``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import regex

from networks.adapter import NetworkAdapter, recognised_post
from networks.base import (
    Author,
    Capabilities,
    Comment,
    Credentials,
    MediaKind,
    Network,
    NetworkError,
    PermanentError,
    PostContent,
    PublishResult,
)
from networks.connect import ApiVersions
from networks.http import classify_status, json_or_none, retry_after_seconds
from networks.linkedin import metrics as li_metrics
from networks.linkedin import posts, profile
from networks.linkedin.text import commentary_text, little_text, plain_text
from networks.linkedin.versions import VERSION_CODES, linkedin_retirement, version_signals
from networks.oauth import OAuthSpec
from networks.options import PAID_PARTNERSHIP

logger = logging.getLogger("networks.linkedin")

API = "https://api.linkedin.com/rest"
# Monthly versions are supported for at least one year; bump this when LinkedIn warns.
DEFAULT_VERSION = "202607"
SCOPES = (
    "w_organization_social",
    "r_organization_social",
    "rw_organization_admin",
    "w_member_social",
)


_REFUSALS = {
    400: "LinkedIn rejected the request as invalid",
    403: "this account lacks the LinkedIn permission or page role for that",
    404: "LinkedIn cannot find that item",
    409: "LinkedIn reports a conflict (duplicate post?)",
    422: "LinkedIn could not process the content",
}


class LinkedInAdapter(NetworkAdapter):
    network = Network.LINKEDIN
    display_name = "LinkedIn"
    publish_options = (PAID_PARTNERSHIP,)
    app_settings = "LINKEDIN_CLIENT_ID / LINKEDIN_CLIENT_SECRET"
    # The default version's; an instance pinned by LINKEDIN_API_VERSION carries its own date.
    api_version = DEFAULT_VERSION
    api_retirement = linkedin_retirement(DEFAULT_VERSION)
    api_root = API
    capabilities = Capabilities(
        publish_text=True,
        publish_link=True,
        publish_images=True,
        publish_video=True,
        carousel=True,  # multiImage
        first_comment=True,
        read_comments=True,
        read_own_posts=True,
        reply=True,
        delete_comment=True,
        post_metrics=True,
        account_metrics=True,
        token_refresh=True,  # only for apps LinkedIn enabled refresh tokens for
        find_existing_post=True,
    )
    docs = (
        "LinkedIn Marketing API: Versioning; Migrations (sunset dates)",
        "LinkedIn Marketing API: Posts API (POST /rest/posts, x-restli-id)",
        "LinkedIn Marketing API: Images API (initializeUpload), Videos API (finalizeUpload)",
        "LinkedIn Marketing API: Little Text Format",
        "LinkedIn Marketing API: Comments API (socialActions), Network Sizes",
        "LinkedIn Marketing API: Organization Share Statistics",
        "LinkedIn Authentication: Authorization Code Flow (3-legged), Refresh Tokens",
        "LinkedIn API: Error handling and rate limits",
    )
    oauth_spec = OAuthSpec(
        authorize_url="https://www.linkedin.com/oauth/v2/authorization",
        token_url="https://www.linkedin.com/oauth/v2/accessToken",
        default_scopes=SCOPES,
        pkce=False,
    )

    @classmethod
    def options_for(cls, versions: ApiVersions) -> dict[str, str]:
        return {"api_version": versions.linkedin} if versions.linkedin else {}

    def __init__(self, *args, api_version: str = DEFAULT_VERSION, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = api_version
        self.api_version = api_version
        self.api_retirement = linkedin_retirement(api_version)
        self.warnings: list[str] = []

    def deprecation_signals(self, response: httpx.Response) -> list:
        return version_signals(response, self.version)

    def headers(self, creds: Credentials) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {creds.access_token}",
            "LinkedIn-Version": self.version,
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def call(self, method: str, url: str, creds: Credentials, **kwargs) -> httpx.Response:
        response = self.request(method, url, headers=self.headers(creds), **kwargs)
        self._note_deprecation(response)
        return response

    def _note_deprecation(self, response: httpx.Response) -> None:
        for name in ("deprecation", "sunset", "x-li-deprecation"):
            if name in response.headers:
                warning = (
                    f"LinkedIn marks API version {self.version} as deprecated "
                    f"({name}: {response.headers[name]}); raise the configured version"
                )
                logger.warning(warning, extra={"network": "linkedin", "version": self.version})
                if warning not in self.warnings:
                    self.warnings.append(warning)

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, tokens)

    def revoke_token(self, *, app, access_token, refresh_token, instance_url="") -> bool:
        return profile.revoke_token(self, app=app, access_token=access_token)

    def classify_response(self, response: httpx.Response) -> NetworkError:
        body = json_or_none(response) or {}
        code = body.get("code") or body.get("serviceErrorCode") if isinstance(body, dict) else None
        message = (body.get("message") if isinstance(body, dict) else None) or ""
        status = response.status_code
        kwargs = {"network": self.network, "raw": body}
        if status == 426 or code in VERSION_CODES:
            return PermanentError(
                f"LinkedIn no longer supports API version {self.version}: the configured "
                f"LinkedIn-Version must be raised to a current month. ({message})",
                code=code or "version_sunset",
                **kwargs,
            )
        return classify_status(
            response,
            network=self.network,
            name=self.display_name,
            message=message,
            raw=body,
            explanations=_REFUSALS,
            code=code or status,
            auth_text=f"LinkedIn refused the token ({code}): {message}",
            rate_text="LinkedIn rate limit reached (daily quotas reset at midnight UTC)",
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
        )

    # ---------------------------------------------------------------- publishing

    def _upload_image(self, creds: Credentials, item) -> str:
        init = self.call(
            "POST",
            f"{API}/images?action=initializeUpload",
            creds,
            json={"initializeUploadRequest": {"owner": creds.external_id}},
            idempotent=True,
        ).json()["value"]
        self.request(
            "PUT",
            init["uploadUrl"],
            content=self.media_bytes(item),
            headers={"Authorization": f"Bearer {creds.access_token}"},
            idempotent=True,
        )
        return init["image"]

    def _upload_video(self, creds: Credentials, item) -> str:
        data = self.media_bytes(item)
        init = self.call(
            "POST",
            f"{API}/videos?action=initializeUpload",
            creds,
            json={
                "initializeUploadRequest": {
                    "owner": creds.external_id,
                    "fileSizeBytes": len(data),
                    "uploadCaptions": False,
                    "uploadThumbnail": False,
                }
            },
            idempotent=True,
        ).json()["value"]
        etags = []
        for part in init["uploadInstructions"]:
            uploaded = self.request(
                "PUT",
                part["uploadUrl"],
                content=data[part["firstByte"] : part["lastByte"] + 1],
                headers={"Content-Type": "application/octet-stream"},
                idempotent=True,
            )
            etags.append(uploaded.headers.get("etag", ""))
        self.call(
            "POST",
            f"{API}/videos?action=finalizeUpload",
            creds,
            json={
                "finalizeUploadRequest": {
                    "video": init["video"],
                    "uploadToken": init.get("uploadToken", ""),
                    "uploadedPartIds": etags,
                }
            },
            idempotent=True,
        )
        return init["video"]

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        self.warnings = []
        text = commentary_text(content)
        post: dict = {
            "author": creds.external_id,
            "commentary": little_text(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        media = content.media
        if media and media[0].kind == MediaKind.VIDEO:
            post["content"] = {
                "media": {
                    "id": self._upload_video(creds, media[0]),
                    "title": content.link_title or "",
                }
            }
        elif len(media) == 1:
            post["content"] = {
                "media": {"id": self._upload_image(creds, media[0]), "altText": media[0].alt_text}
            }
        elif media:
            post["content"] = {
                "multiImage": {
                    "images": [
                        {"id": self._upload_image(creds, m), "altText": m.alt_text} for m in media
                    ]
                }
            }
        elif content.link:
            post["content"] = {
                "article": {"source": content.link, "title": content.link_title or content.link}
            }
        response = self.call("POST", f"{API}/posts", creds, json=post)
        urn = response.headers.get("x-restli-id", "")
        return PublishResult(
            external_id=urn,
            url=f"https://www.linkedin.com/feed/update/{urn}/",
            raw={"status": response.status_code, "id": urn},
            warnings=list(self.warnings),
        )

    def _comment(
        self, creds: Credentials, target: str, text: str, *, post_urn: str, parent: str = ""
    ) -> str:
        payload = {"actor": creds.external_id, "object": post_urn, "message": {"text": text}}
        if parent:
            payload["parentComment"] = parent
        response = self.call(
            "POST", f"{API}/socialActions/{quote(target, safe='')}/comments", creds, json=payload
        )
        body = json_or_none(response) or {}
        return response.headers.get("x-restli-id") or body.get("$URN") or body.get("id", "")

    def publish_first_comment(self, creds: Credentials, post_id: str, text: str) -> str:
        return self._comment(creds, post_id, text, post_urn=post_id)

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our post among the author's 20 latest, recognised by the commentary publish sent
        (with media, the link is in it) and, with ``since``, by its creation time."""
        wanted = " ".join(commentary_text(content).split())
        author = quote(creds.external_id, safe="")
        body = self.call(
            "GET", f"{API}/posts?author={author}&q=author&count=20&sortBy=CREATED", creds
        ).json()
        post = recognised_post(
            body.get("elements", []),
            wanted,
            text_of=lambda post: " ".join(plain_text(post.get("commentary", "")).split()),
            time_of=_created_at,
            since=since,
            exclude_ids=exclude_ids,
        )
        if post is None:
            return None
        urn = post["id"]
        return PublishResult(
            external_id=urn, url=f"https://www.linkedin.com/feed/update/{urn}/", raw=post
        )

    # ---------------------------------------------------------------- engagement

    def list_comments(self, creds, post_id, since=None):
        body = self.call(
            "GET", f"{API}/socialActions/{quote(post_id, safe='')}/comments", creds
        ).json()
        comments = []
        for c in body.get("elements", []):
            created = (c.get("created") or {}).get("time")
            comments.append(
                Comment(
                    external_id=c.get("$URN") or c.get("commentUrn") or c.get("id", ""),
                    author=Author(external_id=c.get("actor", "")),
                    text=(c.get("message") or {}).get("text", ""),
                    created_at=datetime.fromtimestamp(created / 1000, UTC) if created else None,
                    parent_id=c.get("parentComment", ""),
                    raw=c,
                )
            )
        return [c for c in comments if since is None or (c.created_at and c.created_at > since)]

    def reply(self, creds, parent_id, text):
        """Reply to a comment (``urn:li:comment:(urn:li:activity:…,id)``) or to a post."""
        post_urn, _ = _split_comment_urn(parent_id)
        if post_urn:
            return self._comment(creds, parent_id, text, post_urn=post_urn, parent=parent_id)
        return self._comment(creds, parent_id, text, post_urn=parent_id)

    def delete_comment(self, creds, comment_id):
        post_urn, comment = _split_comment_urn(comment_id)
        if not post_urn:
            raise PermanentError("not a LinkedIn comment URN", code="bad_urn", network=self.network)
        self.call(
            "DELETE",
            f"{API}/socialActions/{quote(post_urn, safe='')}/comments/{comment}"
            f"?actor={quote(creds.external_id, safe='')}",
            creds,
            idempotent=True,
        )

    def post_metrics(self, creds, post_id):
        if not creds.external_id.startswith("urn:li:organization:"):
            raise self.not_supported("post statistics for personal profiles")
        kind = "ugcPosts" if ":ugcPost:" in post_id else "shares"
        org = quote(creds.external_id, safe="")
        body = self.call(
            "GET",
            f"{API}/organizationalEntityShareStatistics?q=organizationalEntity"
            f"&organizationalEntity={org}&{kind}=List({quote(post_id, safe='')})",
            creds,
        ).json()
        return li_metrics.share_snapshot(body)

    def account_metrics(self, creds):
        body = self.call(
            "GET",
            f"{API}/networkSizes/{quote(creds.external_id, safe='')}"
            "?edgeType=COMPANY_FOLLOWED_BY_MEMBER",
            creds,
        ).json()
        return li_metrics.network_size_snapshot(body)

    def list_recent_posts(self, creds, since):
        return posts.recent_posts(self, creds, since)


def _split_comment_urn(urn: str) -> tuple[str, str]:
    """``urn:li:comment:(urn:li:activity:1,2)`` -> (``urn:li:activity:1``, ``2``)."""
    match = regex.fullmatch(r"urn:li:comment:\((urn:li:[a-zA-Z]+:[^,]+),([^)]+)\)", urn)
    return (match.group(1), match.group(2)) if match else ("", "")


def _created_at(post: dict) -> datetime | None:
    """When a post was created (or published), from LinkedIn's epoch milliseconds."""
    created = post.get("createdAt") or post.get("publishedAt")
    return datetime.fromtimestamp(created / 1000, UTC) if created else None
