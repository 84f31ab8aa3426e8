"""Google Business Profile: one location's local posts, its reviews and replies, its metrics.

``external_id`` is ``accounts/{account}/locations/{location}``. Posts and reviews are the
Business Profile API's v4 resources (``mybusiness.googleapis.com/v4``, still v4: they were not
moved to the v1 APIs); accounts, locations and metrics are v1 APIs of their own
(networks.google_business.profile and .metrics). OAuth 2 with PKCE and ``access_type=offline``
for a refresh token; the one scope, ``business.manage``, is the only one these APIs take.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import regex

from networks.adapter import NetworkAdapter, normalise_text, recognised_post
from networks.base import (
    Capabilities,
    Credentials,
    MetricSnapshot,
    Network,
    NetworkError,
    PermanentError,
    PostContent,
    PublishResult,
)
from networks.connect import bearer
from networks.google_business import errors, metrics, posts, profile, reviews
from networks.oauth import OAuthSpec

POSTS_API = "https://mybusiness.googleapis.com/v4"
PERFORMANCE_API = "https://businessprofileperformance.googleapis.com/v1"
# Manage the Business Profiles the person manages: the one scope the posts, reviews, accounts,
# locations and performance APIs accept (there is no read-only or narrower one).
SCOPES = ("https://www.googleapis.com/auth/business.manage",)
REPLY_MAX_BYTES = 4_096  # ReviewReply.comment
LOCATION = regex.compile(r"accounts/[^/]+/locations/[^/]+")
REVIEW = regex.compile(r"accounts/[^/]+/locations/[^/]+/reviews/[^/]+")
# How far back account_metrics looks for Google's latest day (its figures come days late).
LATEST_DAY_WINDOW = timedelta(days=10)


class GoogleBusinessAdapter(NetworkAdapter):
    network = Network.GOOGLE_BUSINESS
    display_name = "Google Business Profile"
    app_settings = "GOOGLE_BUSINESS_CLIENT_ID / GOOGLE_BUSINESS_CLIENT_SECRET"
    api_version = "v4"  # localPosts and reviews; accounts, locations, performance are v1
    api_retirement = None  # none announced for v4 localPosts/reviews (docs/networks.md)
    posts_root = POSTS_API
    publish_options = posts.OPTIONS
    capabilities = Capabilities(
        publish_text=True,
        publish_link=True,  # as the post's button
        publish_images=True,  # one photo, fetched by Google from its public URL
        read_comments=True,  # the location's reviews (local posts take no comments)
        read_account_comments=True,
        read_own_posts=True,
        reply=True,
        delete_comment=True,  # the owner's reply only
        account_metrics=True,
        token_refresh=True,
        find_existing_post=True,
    )
    docs = (
        "Google Business Profile APIs: Basic setup, OAuth 2.0 (scope business.manage)",
        "Google Identity: OAuth 2.0 for Web Server Applications (access_type=offline, "
        "prompt=consent, PKCE code_challenge S256), revoking tokens",
        "Account Management API v1: accounts.list",
        "Business Information API v1: accounts.locations.list (readMask)",
        "Google My Business API v4: accounts.locations.localPosts (LocalPost, CallToAction, "
        "ActionType, LocalPostEvent, LocalPostOffer, MediaItem sourceUrl; create, list, "
        "delete)",
        "Google My Business API v4: Work with review data; accounts.locations.reviews (list, "
        "get, updateReply, deleteReply; Review, StarRating, ReviewReply)",
        "Business Profile Performance API v1: locations.fetchMultiDailyMetricsTimeSeries, "
        "DailyMetric, DatedValue",
        "Google APIs: error model (google.rpc.Status, BadRequest, RetryInfo); Business Profile "
        "ValidationError / ErrorDetail; usage limits (requests per minute)",
        "Google Business Profile APIs: deprecation schedule (v4 reportInsights -> Performance "
        "API; v4 accounts/locations -> v1 APIs)",
        "Google Business Profile Help: photo guidelines (JPG/PNG, 10 KB-5 MB, 250 x 250 px)",
    )
    oauth_spec = OAuthSpec(
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        default_scopes=SCOPES,
        pkce=True,
        # A refresh token is issued only with access_type=offline, and again on reconnecting
        # only when consent is asked again.
        extra_authorize_params={"access_type": "offline", "prompt": "consent"},
    )

    def call(self, method: str, url: str, creds: Credentials, **kwargs) -> httpx.Response:
        headers = {**bearer(creds.access_token), **kwargs.pop("headers", {})}
        return self.request(method, url, headers=headers, **kwargs)

    def classify_response(self, response: httpx.Response) -> NetworkError:
        return errors.classify(response)

    # ---------------------------------------------------------------- connecting

    def connected_profiles(self, tokens, *, app, instance_url=""):
        return profile.connected_profiles(self, tokens)

    # revoke_token stays the base's "no": one Google grant serves every location connected
    # with it, so disconnecting one location must not revoke the others' token.

    # ---------------------------------------------------------------- local posts

    def publish(self, creds: Credentials, content: PostContent) -> PublishResult:
        body = posts.local_post_body(content, self.network.value)
        post = self.call(
            "POST", f"{POSTS_API}/{self._location(creds)}/localPosts", creds, json=body
        ).json()
        return PublishResult(
            external_id=post.get("name", ""), url=post.get("searchUrl", ""), raw=post
        )

    def find_existing_post(
        self, creds: Credentials, content: PostContent, *, since=None, exclude_ids=()
    ) -> PublishResult | None:
        """Our post among the location's 100 latest, by the summary publish sent."""
        self._location(creds)
        listed = posts.list_page(self, creds).get("localPosts") or []
        post = recognised_post(
            listed,
            normalise_text(content.text),
            text_of=lambda p: normalise_text(p.get("summary") or ""),
            time_of=posts.created_at,
            since=since,
            exclude_ids=exclude_ids,
            id_key="name",
        )
        if post is None:
            return None
        return PublishResult(external_id=post["name"], url=post.get("searchUrl", ""), raw=post)

    def list_recent_posts(self, creds, since):
        self._location(creds)
        return posts.recent_posts(self, creds, since)

    def delete_post(self, creds: Credentials, post_id: str) -> None:
        """Delete one of the location's local posts (DELETE …/localPosts/{id})."""
        if not post_id.startswith(f"{self._location(creds)}/localPosts/"):
            raise PermanentError(
                "not a local post of this location", code="bad_post_id", network=self.network
            )
        self.call("DELETE", f"{POSTS_API}/{post_id}", creds, idempotent=True)

    # ---------------------------------------------------------------- reviews

    def list_comments(self, creds, post_id, since=None):
        """The location's reviews (``post_id`` is the location: the account-level comments
        of ``read_account_comments``); a local post has none, and costs no call."""
        if "/localPosts/" in post_id:
            return []
        if post_id != self._location(creds):
            raise PermanentError(
                "reviews are read for the connected location only",
                code="bad_location",
                network=self.network,
            )
        return reviews.list_reviews(self, creds, since)

    def reply(self, creds, parent_id, text):
        """Reply to a review; a review has one reply, which this creates or replaces (so a
        repeat is harmless). Returns the reply's id, ``{review}/reply``."""
        review = self._review(reviews.review_of(parent_id))
        if len(text.encode("utf-8")) > REPLY_MAX_BYTES:
            raise PermanentError(
                f"a reply to a Google review takes at most {REPLY_MAX_BYTES} bytes",
                code="reply_too_long",
                network=self.network,
            )
        self.call(
            "PUT", f"{POSTS_API}/{review}/reply", creds, json={"comment": text}, idempotent=True
        )
        return reviews.reply_id(review)

    def find_existing_reply(self, creds, parent_id, text, *, author_id="", since=None):
        """The review's reply, if it says ``text`` (a review has only one)."""
        review = self._review(reviews.review_of(parent_id))
        found = self.call("GET", f"{POSTS_API}/{review}", creds).json()
        reply = (found.get("reviewReply") or {}).get("comment") or ""
        return reviews.reply_id(review) if normalise_text(reply) == normalise_text(text) else None

    def delete_comment(self, creds, comment_id):
        """Delete the owner's reply to a review; a customer's review cannot be deleted by the
        business (it can be reported on Google Maps)."""
        if not comment_id.endswith(reviews.REPLY_SUFFIX):
            raise PermanentError(
                "Google does not let a business delete a customer's review, only its own reply",
                code="review_not_deletable",
                network=self.network,
            )
        review = self._review(reviews.review_of(comment_id))
        self.call("DELETE", f"{POSTS_API}/{review}/reply", creds, idempotent=True)

    # ---------------------------------------------------------------- metrics

    def account_metrics_days(self, creds, *, since, until) -> list[MetricSnapshot]:
        location = self._location(creds).split("/", 2)[2]  # locations/{id}
        body = self.call(
            "GET",
            f"{PERFORMANCE_API}/{location}:fetchMultiDailyMetricsTimeSeries",
            creds,
            params=metrics.range_params(since, until),
        ).json()
        return metrics.daily_snapshots(body)

    def account_metrics(self, creds) -> MetricSnapshot:
        """Google's latest day (its figures come a few days late); empty when it has none."""
        today = datetime.now(UTC).date()
        days = self.account_metrics_days(creds, since=today - LATEST_DAY_WINDOW, until=today)
        return days[-1] if days else MetricSnapshot(day=today)

    # ---------------------------------------------------------------- helpers

    def _location(self, creds: Credentials) -> str:
        if not LOCATION.fullmatch(creds.external_id):
            raise PermanentError(
                "the account is not a Google Business Profile location (accounts/…/locations/…)",
                code="bad_location",
                network=self.network,
            )
        return creds.external_id

    def _review(self, name: str) -> str:
        if not REVIEW.fullmatch(name):
            raise PermanentError(
                "not a Google review (accounts/…/locations/…/reviews/…)",
                code="bad_review_id",
                network=self.network,
            )
        return name
