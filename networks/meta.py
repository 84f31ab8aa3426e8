"""What Facebook Pages and Instagram share: the Graph API version, Facebook Login, errors, and
:class:`GraphAdapter`, the base of both adapters (the calls they make the same way).

Meta answers errors as ``{"error": {"message", "type", "code", "error_subcode",
"is_transient", "error_user_msg", "fbtrace_id"}}``, often with HTTP 400 whatever the cause,
so classification reads the codes, not the status.
"""

from __future__ import annotations

import json
from datetime import timedelta

import httpx

from . import meta_messages
from .adapter import NetworkAdapter
from .base import (
    AppCredentials,
    AuthExpired,
    Credentials,
    NetworkError,
    PermanentError,
    RateLimited,
    TokenSet,
    TransientError,
)
from .connect import ApiVersions
from .deprecation import NETWORK_WARNING, VERSION_UPGRADED, DeprecationSignal
from .http import json_or_none, retry_after_seconds
from .meta_versions import graph_retirement, is_graph_version
from .oauth import OAuthSpec
from .options import PAID_PARTNERSHIP

# Latest Graph API version in the changelog when this was written (v26.0, July 2026);
# each version stays available for about two years. Pass graph_version= to change it.
DEFAULT_GRAPH_VERSION = "v26.0"
GRAPH = "https://graph.facebook.com"
GRAPH_VIDEO = "https://graph-video.facebook.com"

# Graph API "Handling Errors" guide: codes and authentication subcodes.
AUTH_CODES = {102, 190}
AUTH_SUBCODES = {
    458: "the app is no longer installed for this user",
    459: "the user must log in to Facebook to fix a checkpoint on their account",
    460: "the user changed their password",
    463: "the session has expired",
    464: "the user's account is not confirmed",
    467: "the access token is invalid",
    492: "the session is invalid (the user lost their role on the Page?)",
}
RATE_LIMIT_CODES = {4, 17, 32, 341, 613} | set(range(80001, 80015))
TRANSIENT_CODES = {1, 2}
EXPLANATIONS = {
    3: "the app lacks the capability or permission for this call",
    10: "permission denied: the account did not grant the permission this needs",
    100: "a parameter is invalid or missing",
    190: "the access token has expired or was revoked",
    200: "permission denied (missing permission or Page role)",
    368: "Meta temporarily blocked this account for a policy violation",
    506: "this is a duplicate of a recent post",
    1609005: "Facebook could not read the link given",
    # Send API (Messenger Platform "Error Codes"): a Page answers within 24 hours of the
    # person's last message; past that Meta refuses, whatever the text.
    551: "this person cannot receive messages from the Page right now",
    2018278: "the 24 hours after the person's last message are over, so Messenger refuses "
    "the Page's answer: they must write again first",
    2534022: "the 24 hours after the person's last message are over, so Instagram refuses "
    "the answer: they must write again first",
}
# Instagram Graph API "Error Codes" reference (subcodes of content publishing).
IG_SUBCODES = {
    2207001: ("transient", "Instagram server error; try again"),
    2207003: ("transient", "Instagram took too long to download the media"),
    2207032: ("transient", "Instagram failed to create the media container"),
    2207053: ("transient", "unknown upload error; a new container is needed"),
    2207004: ("permanent", "the image is too large (at most 8 MB)"),
    2207005: ("permanent", "the image format is not supported (use JPEG)"),
    2207006: ("permanent", "the media was not found (deleted, or not accessible)"),
    2207008: ("permanent", "the media container expired or was not found; create it again"),
    2207009: ("permanent", "the image aspect ratio is not supported"),
    2207010: ("permanent", "the caption is too long (2,200 characters, 30 hashtags)"),
    2207020: ("permanent", "the media container has expired; create it again"),
    2207023: ("permanent", "the media type is unknown"),
    2207026: ("permanent", "the video format is not supported (MP4/MOV, H.264, AAC)"),
    2207027: ("transient", "the media is not ready to publish yet"),
    2207028: ("permanent", "the carousel is invalid (2 to 10 items, all finished)"),
    2207042: ("rate", "the account reached its limit of API-published posts in 24 hours"),
    2207050: ("permanent", "the Instagram account is restricted or inactive"),
    2207051: ("permanent", "Instagram restricted this action as suspected spam"),
    2207052: ("permanent", "Instagram could not fetch the media from its URL"),
    2207057: ("permanent", "the video thumbnail offset is outside the video"),
}

FACEBOOK_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_manage_engagement",
    "pages_read_user_content",
    "read_insights",
    "pages_messaging",  # the Page's Messenger conversations (the inbox's direct messages)
    "pages_manage_metadata",  # installing the app on the Page (subscribed_apps, webhooks)
)
INSTAGRAM_SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
    # The account's private messages, read through its linked Page (/{page-id}/conversations
    # ?platform=instagram), and installing the app on that Page for webhooks.
    "instagram_manage_messages",
    "pages_manage_metadata",
    "instagram_manage_engagement",  # liking comments (POST /{ig-user-id}/likes)
    "pages_messaging",  # private replies to comments, sent by the linked Page
)

# What the inbox reads from a Page's webhooks (Webhooks for Pages; Messenger Platform): the
# feed (comments added, edited, removed, hidden), messages and the Page's own answers, and
# message edits. Only fields the app also subscribes at app level are delivered.
PAGE_WEBHOOK_FIELDS = ("feed", "messages", "message_echoes", "message_edits")
# The Page linked to an Instagram account: Instagram's own fields (comments, messages) are
# chosen at app level, but Meta pushes them only for an account whose Page installed the app.
INSTAGRAM_PAGE_WEBHOOK_FIELDS = ("feed", "messages")


def graph_url(version: str, path: str, *, video: bool = False, base: str = GRAPH) -> str:
    # Another base (a local fake of the Graph API) serves the video uploads too.
    host = GRAPH_VIDEO if video and base == GRAPH else base
    return f"{host}/{version}/{path.lstrip('/')}"


def facebook_login_spec(version: str, scopes: tuple[str, ...], base: str = GRAPH) -> OAuthSpec:
    return OAuthSpec(
        authorize_url=f"https://www.facebook.com/{version}/dialog/oauth",
        token_url=graph_url(version, "oauth/access_token", base=base),
        default_scopes=scopes,
        scope_separator=",",
        pkce=False,
    )


def _usage_retry_after(response: httpx.Response) -> float | None:
    """Minutes until access is back, from X-Business-Use-Case-Usage, in seconds."""
    header = response.headers.get("x-business-use-case-usage")
    if not header:
        return None
    try:
        usage = json.loads(header)
    except ValueError:
        return None
    waits = [
        entry.get("estimated_time_to_regain_access") or 0
        for entries in usage.values()
        for entry in (entries if isinstance(entries, list) else [])
    ]
    return max(waits) * 60.0 if waits and max(waits) else None


def classify_graph_error(response: httpx.Response, *, network: str, name: str) -> NetworkError:
    body = json_or_none(response) or {}
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code = error.get("code")
    subcode = error.get("error_subcode")
    message = error.get("error_user_msg") or error.get("message") or response.reason_phrase
    kwargs = {"network": network, "raw": body}

    if code in AUTH_CODES or subcode in AUTH_SUBCODES:
        why = AUTH_SUBCODES.get(subcode) or EXPLANATIONS[190]
        return AuthExpired(f"{name}: {why}. Reconnect the account. ({message})", **kwargs)
    kind, ig_text = IG_SUBCODES.get(subcode, (None, None))
    if code in RATE_LIMIT_CODES or kind == "rate" or response.status_code == 429:
        return RateLimited(
            f"{name} rate limit reached: {ig_text or message}",
            retry_after=retry_after_seconds(response.headers.get("Retry-After"))
            or _usage_retry_after(response),
            **kwargs,
        )
    if (
        code in TRANSIENT_CODES
        or kind == "transient"
        or error.get("is_transient") is True
        or response.status_code >= 500
    ):
        return TransientError(f"{name} had a temporary problem: {ig_text or message}", **kwargs)
    if ig_text:
        explanation = ig_text
    elif subcode in EXPLANATIONS:  # the subcode is the more precise of the two
        explanation = EXPLANATIONS[subcode]
    elif code in EXPLANATIONS:
        explanation = EXPLANATIONS[code]
    elif isinstance(code, int) and 200 <= code <= 299:
        explanation = EXPLANATIONS[200]
    else:
        explanation = f"{name} refused the request (HTTP {response.status_code})"
    return PermanentError(
        f"{name}: {explanation}. ({message})", code=code, subcode=subcode, **kwargs
    )


class GraphAdapter(NetworkAdapter):
    """A Graph API adapter: the version, its URLs, Facebook Login with ``scopes``, Meta's error
    reading, and the calls Facebook and Instagram make alike (tokens travel as a parameter)."""

    app_settings = "FACEBOOK_APP_ID / FACEBOOK_APP_SECRET"  # Facebook Login, for both
    scopes: tuple[str, ...] = ()
    publish_options = (PAID_PARTNERSHIP,)  # the label is not sent yet: disclosed in the text
    # The default version's; an instance pinned to another (META_GRAPH_API_VERSION) carries
    # that version's date (networks.meta_versions).
    api_version = DEFAULT_GRAPH_VERSION
    api_retirement = graph_retirement(DEFAULT_GRAPH_VERSION)

    @classmethod
    def options_for(cls, versions: ApiVersions) -> dict[str, str]:
        options = {"graph_version": versions.meta_graph} if versions.meta_graph else {}
        if versions.meta_graph_base_url and versions.meta_graph_base_url.rstrip("/") != GRAPH:
            options["graph_base_url"] = versions.meta_graph_base_url.rstrip("/")
        return options

    def __init__(
        self,
        *args,
        graph_version: str = DEFAULT_GRAPH_VERSION,
        graph_base_url: str = GRAPH,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.version = graph_version
        self.api_version = graph_version
        self.api_retirement = graph_retirement(graph_version)
        self.base_url = graph_base_url.rstrip("/")

    def deprecation_signals(self, response: httpx.Response) -> list[DeprecationSignal]:
        """Meta answers a call to an expired version with the next usable one and says which
        in the ``facebook-api-version`` header (``x-fb-api-version`` behind some proxies);
        ``__debug__`` warnings (``debug=all``) that speak of deprecation are kept too."""
        signals = []
        used = response.headers.get("facebook-api-version") or response.headers.get(
            "x-fb-api-version"
        )
        if used and is_graph_version(used) and used.strip() != self.version:
            signals.append(
                DeprecationSignal(
                    network=self.network.value,
                    kind=VERSION_UPGRADED,
                    message=f"Meta answered with Graph API {used.strip()} instead of "
                    f"{self.version}: the version asked is no longer usable",
                    api_version=self.version,
                )
            )
        if b"__debug__" in response.content[:200_000]:
            body = json_or_none(response)
            debug = body.get("__debug__") if isinstance(body, dict) else None
            messages = debug.get("messages") if isinstance(debug, dict) else None
            for item in messages if isinstance(messages, list) else []:
                text = str(item.get("message") or "") if isinstance(item, dict) else ""
                if "deprecat" in text.lower() or "version" in text.lower():
                    signals.append(
                        DeprecationSignal(
                            network=self.network.value,
                            kind=NETWORK_WARNING,
                            message=text,
                            api_version=self.version,
                        )
                    )
        return signals

    def url(self, path: str, *, video: bool = False) -> str:
        return graph_url(self.version, path, video=video, base=self.base_url)

    def oauth(self, instance_url: str = "") -> OAuthSpec:
        return facebook_login_spec(self.version, self.scopes, base=self.base_url)

    # No revoke_token: DELETE /me/permissions would remove the app for every Page the person
    # manages, other brands' included; the token is wiped locally instead.

    def classify_response(self, response: httpx.Response) -> NetworkError:
        return classify_graph_error(response, network=self.network, name=self.display_name)

    def _get(self, path: str, creds: Credentials, **params) -> dict:
        params["access_token"] = creds.access_token
        return self.request("GET", self.url(path), params=params).json()

    def _daily_insights(self, creds: Credentials, metrics, *, since, until) -> dict:
        """GET /{id}/insights of the account, one value a day from ``since`` to ``until``
        (both included: Graph's ``until`` is exclusive, so it is sent as the day after)."""
        return self._get(
            f"{creds.external_id}/insights",
            creds,
            metric=",".join(metrics),
            period="day",
            since=since.isoformat(),
            until=(until + timedelta(days=1)).isoformat(),
        )

    def _post(self, path: str, creds: Credentials, data: dict, *, video=False, idempotent=None):
        return self.request(
            "POST",
            self.url(path, video=video),
            data={**data, "access_token": creds.access_token},
            idempotent=idempotent,
        ).json()

    def subscribe_page(self, page_id: str, page_token: str, fields: tuple[str, ...]) -> list[str]:
        """POST /{page-id}/subscribed_apps with the Page token: installs our app on the Page so
        that Meta delivers its webhooks. Answers ``{"success": true}``; repeating it is
        harmless, so a lost answer may be retried."""
        body = self.request(
            "POST",
            self.url(f"{page_id}/subscribed_apps"),
            data={"subscribed_fields": ",".join(fields), "access_token": page_token},
            idempotent=True,
        ).json()
        if not (isinstance(body, dict) and body.get("success") is True):
            raise PermanentError(
                f"{self.display_name} did not confirm the app's installation on the Page",
                network=self.network,
                raw=body,
            )
        return list(fields)

    def long_lived_token(self, app: AppCredentials, token: str) -> TokenSet:
        """Exchange a user token for a long-lived one (about 60 days)."""
        body = self.request(
            "GET",
            self.url("oauth/access_token"),
            params={
                "grant_type": "fb_exchange_token",
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "fb_exchange_token": token,
            },
        ).json()
        expires = body.get("expires_in")
        return TokenSet(
            access_token=body["access_token"], expires_in=int(expires) if expires else None
        )

    # Messenger Platform: a Page answers a person within 24 hours of their last message
    # (messaging_type RESPONSE), and a comment gets one private reply within 7 days.
    direct_message_window = timedelta(hours=24)
    private_reply_window = timedelta(days=7)
    direct_message_max_chars = 2000  # Send API: "text must be UTF-8 and has a 2000 character limit"

    # The Send API's (networks.meta_messages): which Page sends, and whose conversations.
    messaging_platform = "messenger"

    def messaging_page(self, creds: Credentials) -> tuple[str, str]:
        """(Page id, Page token) the account's private messages go through: the Page itself."""
        return creds.external_id, creds.access_token

    def send_private_reply(self, creds, comment_id, text):
        return meta_messages.private_reply(self, creds, comment_id, text)

    def send_direct_message(self, creds, thread_id, recipient_id, text, *, idempotency_key=""):
        # No idempotency key in the Send API: after a lost answer the outbox asks
        # find_existing_direct_message first.
        return meta_messages.direct_answer(self, creds, recipient_id or thread_id, text)

    def find_existing_direct_message(self, creds, thread_id, text, *, since=None):
        return meta_messages.find_answer(self, creds, thread_id, text, since)

    def publish_first_comment(self, creds: Credentials, post_id: str, text: str) -> str:
        return self._post(f"{post_id}/comments", creds, {"message": text})["id"]

    def delete_comment(self, creds, comment_id):
        self.request(
            "DELETE",
            self.url(comment_id),
            params={"access_token": creds.access_token},
            idempotent=True,
        )
