"""Pinterest API v5: pins on the account's boards, read back, counted.

``external_id`` is the Pinterest user account's id. A post is a pin: one image or one video,
the post's text as its description, on the board chosen in the composer (the ``board_id``
publishing option, among the account's boards), with an optional title and destination link.
Pinterest's API v5 has no endpoint for a pin's comments, so none are read or answered here.

OAuth 2 authorisation code with the client's id and secret in HTTP Basic; access tokens last
30 days and refresh tokens a year. The code is exchanged with ``continuous_refresh=true``, so
every refresh returns a new refresh token valid another year (Pinterest's "continuous refresh",
soon its only behaviour): an account that keeps being refreshed never has to reconnect.
"""

from __future__ import annotations

from datetime import timedelta

import httpx

from networks.adapter import NetworkAdapter, recognised_post
from networks.base import (
    AuthExpired,
    Capabilities,
    Credentials,
    Network,
    NetworkError,
    PostContent,
    PublishResult,
)
from networks.http import classify_status, json_or_none, retry_after_seconds
from networks.metrics import utc_today
from networks.oauth import OAuthSpec
from networks.options import OptionKind, PublishOption
from networks.pinterest import metrics as pin_metrics
from networks.pinterest import pins, profile
from networks.pinterest.rules import TITLE_MAX

API = "https://api.pinterest.com/v5"
# Why each scope: boards:read lists the boards a pin may go to; pins:read finds our pin again
# after an unknown outcome and lists the account's pins; pins:write creates pins;
# user_accounts:read names the account when connecting and reads its analytics.
SCOPES = ("boards:read", "pins:read", "pins:write", "user_accounts:read")
ANALYTICS_DAYS = 90  # Pinterest's analytics look back at most 90 days
AUTH_FAILED = 2  # Pinterest's error code for a token it does not accept

_REFUSALS = {
    400: "Pinterest rejected the request as invalid",
    403: "this Pinterest account may not do that (permission, scope or board access)",
    404: "Pinterest cannot find that board, pin or media",
    409: "Pinterest reports a conflict",
}


class PinterestAdapter(NetworkAdapter):
    network = Network.PINTEREST
    display_name = "Pinterest"
    app_settings = "PINTEREST_CLIENT_ID / PINTEREST_CLIENT_SECRET"
    api_version = "v5"
    api_retirement = None  # Pinterest has announced no end for v5
    api_root = API
    capabilities = Capabilities(
        publish_link=True,
        publish_images=True,
        publish_video=True,
        read_own_posts=True,
        post_metrics=True,
        account_metrics=True,
        token_refresh=True,
        find_existing_post=True,
        # read_comments, reply...: API v5 has no comments endpoint.
    )
    publish_options = (
        PublishOption(
            name="board_id",
            label="Board",
            kind=OptionKind.CHOICE,
            required=True,
            account_choices=True,
            help_text="The board the pin is saved to.",
        ),
        PublishOption(
            name="title",
            label="Pin title",
            max_length=TITLE_MAX,
            help_text="Shown above the description; up to 100 characters.",
        ),
        PublishOption(
            name="link",
            label="Destination link",
            kind=OptionKind.URL,
            help_text="Where the pin leads when someone opens it.",
        ),
    )
    docs = (
        "Pinterest API v5 reference: Create Pin (POST /v5/pins, media_source image_url, "
        "image_base64, video_id with cover_image_url / cover_image_key_frame_time)",
        "Pinterest API v5 reference: Register media upload (POST /v5/media: media_id, "
        "upload_url, upload_parameters), Get media upload details (status registered, "
        "processing, succeeded, failed)",
        "Pinterest API v5 reference: List Pins (GET /v5/pins, pin_filter=exclude_repins, "
        "bookmark, page_size), List Pins on board, List boards (GET /v5/boards)",
        "Pinterest API v5 reference: Get Pin analytics (start_date/end_date at most 90 days "
        "back, metric_types IMPRESSION, SAVE, PIN_CLICK, OUTBOUND_CLICK, TOTAL_COMMENTS, "
        "TOTAL_REACTIONS, VIDEO_MRC_VIEW, VIDEO_V50_WATCH_TIME), Get user account analytics "
        "(daily_metrics with data_status), Get user account (follower_count)",
        "Pinterest developers: Set up authentication and authorization (www.pinterest.com/"
        "oauth/, POST /v5/oauth/token with HTTP Basic client auth, scopes comma-separated), "
        "continuous refresh (continuous_refresh=true, refresh_token_expires_in)",
        "Pinterest API v5: errors as {code, message} (code 2: Authentication failed), "
        "HTTP 401, 403, 404, 429 (rate limits per user and app), 5xx",
        "Pinterest Help: Pinterest product specs (standard pins: PNG/JPEG, title 100 and "
        "description 500 characters; video .mp4/.mov/.m4v, up to 2 GB, 4 s to 15 min, "
        "between 1:2 and 1.91:1)",
    )
    oauth_spec = OAuthSpec(
        authorize_url="https://www.pinterest.com/oauth/",
        token_url=f"{API}/oauth/token",
        default_scopes=SCOPES,
        scope_separator=",",
        pkce=False,
        client_auth="basic",
        extra_token_params={"continuous_refresh": "true"},
    )

    def call(self, method: str, path: str, creds: Credentials, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {creds.access_token}"}
        return self.request(method, f"{API}{path}", headers=headers, **kwargs)

    def classify_response(self, response: httpx.Response) -> NetworkError:
        body = json_or_none(response)
        body = body if isinstance(body, dict) else {}
        code = body.get("code")
        message = str(body.get("message") or "")
        if code == AUTH_FAILED and response.status_code < 500:
            return AuthExpired(
                f"Pinterest refused the token: {message}", network=self.network, raw=body
            )
        return classify_status(
            response,
            network=self.network,
            name=self.display_name,
            message=message,
            raw=body,
            explanations=_REFUSALS,
            code=code if code is not None else response.status_code,
            rate_text="Pinterest rate limit reached",
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
        )

    # ---------------------------------------------------------------- connecting

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, tokens)

    def option_choices(self, creds: Credentials, name: str) -> list[tuple[str, str]]:
        if name != "board_id":
            return super().option_choices(creds, name)
        return profile.boards(self, creds)

    # ---------------------------------------------------------------- publishing

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        pins.board_id(content)
        source = pins.media_source(self, creds, content)
        body = pins.pin_body(content, source)
        pin = self.call("POST", "/pins", creds, json=body).json()
        pin_id = str(pin["id"])
        return PublishResult(external_id=pin_id, url=pins.pin_url(pin_id), raw=pin)

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our pin among the board's latest (or the account's, without a board), recognised
        by the description, title and link publish sent and, with ``since``, by its creation
        time."""
        board_id = pins.option(content, "board_id")
        path = f"/boards/{board_id}/pins" if board_id else "/pins"
        body = self.call("GET", path, creds, params={"page_size": pins.LOOKUP_PAGE_SIZE}).json()
        pin = recognised_post(
            body.get("items") or [],
            pins.sent_key(content),
            text_of=pins.pin_key,
            time_of=pins.created_at,
            since=since,
            exclude_ids=exclude_ids,
        )
        if pin is None:
            return None
        return PublishResult(external_id=str(pin["id"]), url=pins.pin_url(str(pin["id"])), raw=pin)

    def list_recent_posts(self, creds, since):
        return pins.recent_pins(self, creds, since)

    # ---------------------------------------------------------------- metrics

    def post_metrics(self, creds, post_id):
        today = utc_today()
        body = self.call(
            "GET",
            f"/pins/{post_id}/analytics",
            creds,
            params={
                "start_date": (today - timedelta(days=ANALYTICS_DAYS - 1)).isoformat(),
                "end_date": today.isoformat(),
                "metric_types": ",".join(pin_metrics.PIN_METRIC_TYPES),
            },
        ).json()
        return pin_metrics.pin_snapshot(body)

    def account_metrics(self, creds):
        today = utc_today()
        return self.account_metrics_days(creds, since=today, until=today)[-1]

    def account_metrics_days(self, creds, *, since, until):
        user = self.call("GET", "/user_account", creds).json()
        earliest = utc_today() - timedelta(days=ANALYTICS_DAYS - 1)
        analytics = self.call(
            "GET",
            "/user_account/analytics",
            creds,
            params={
                "start_date": max(since, earliest).isoformat(),
                "end_date": until.isoformat(),
                "metric_types": ",".join(pin_metrics.ACCOUNT_DAILY),
            },
        ).json()
        return pin_metrics.account_snapshots(user, analytics, today=until)
