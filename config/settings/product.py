"""The product's own settings: invitations, API keys, connected social accounts and their
tokens, the outbound guard, webhooks and the publishing engine."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_base_url, env_bool, env_int, env_list, env_str
from config.settings.base import DEBUG, PRODUCTION

# --- Invitations and API keys (agency/) -----------------------------------------------------
INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 7)
API_KEY_LAST_USED_PRECISION_SECONDS = 60
# Client users' e-mailed sign-in links (agency/services/sign_in_links.py, docs/client-portal.md).
SIGN_IN_LINK_TTL_MINUTES = env_int("SIGN_IN_LINK_TTL_MINUTES", 15)
# How long the signed public address of a media-library file opens it (campaigns.media_links):
# the networks that fetch a post's media themselves are given it at publishing time.
MEDIA_LINK_HOURS = env_int("MEDIA_LINK_HOURS", 72)
# The links an agency sends a client to connect a brand's social accounts (clients/).
CONNECTION_LINK_TTL_DAYS = env_int("CONNECTION_LINK_TTL_DAYS", 7)

# --- Connected social accounts (clients/; see docs/accounts.md) -------------------------------
# Fernet keys, comma-separated: the first encrypts, every one decrypts (rotation: put the new
# key first, run `manage.py rotate_token_keys`, then drop the old one). Required in production;
# in development core.crypto derives a key from SECRET_KEY when this is empty.
TOKEN_ENCRYPTION_KEYS = env_list("TOKEN_ENCRYPTION_KEYS", [])
if PRODUCTION and not TOKEN_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "TOKEN_ENCRYPTION_KEYS is required in production; generate a key with "
        "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())'`."
    )
# OAuth clients of the platform, one per network; a network without them shows "not configured".
# Instagram uses the Facebook app unless it has its own.
SOCIAL_APPS = {
    "facebook": (env_str("FACEBOOK_APP_ID", ""), env_str("FACEBOOK_APP_SECRET", "")),
    "instagram": (
        env_str("INSTAGRAM_APP_ID", env_str("FACEBOOK_APP_ID", "")),
        env_str("INSTAGRAM_APP_SECRET", env_str("FACEBOOK_APP_SECRET", "")),
    ),
    "linkedin": (env_str("LINKEDIN_CLIENT_ID", ""), env_str("LINKEDIN_CLIENT_SECRET", "")),
    # Member profiles: LinkedIn wants the pages' Community Management API alone on its app, so
    # "Share on LinkedIn" + OpenID Connect usually live on a second app (docs/networks.md).
    "linkedin_profile": (
        env_str("LINKEDIN_PROFILE_CLIENT_ID", env_str("LINKEDIN_CLIENT_ID", "")),
        env_str("LINKEDIN_PROFILE_CLIENT_SECRET", env_str("LINKEDIN_CLIENT_SECRET", "")),
    ),
    "x": (env_str("X_CLIENT_ID", ""), env_str("X_CLIENT_SECRET", "")),
    # Instagram accounts connected with Instagram Login (no Facebook Page): the Instagram app
    # id and secret of the Meta app's "API setup with Instagram login" (not the Facebook app's).
    "instagram_login": (
        env_str("INSTAGRAM_LOGIN_CLIENT_ID", ""),
        env_str("INSTAGRAM_LOGIN_CLIENT_SECRET", ""),
    ),
    # TikTok calls the client id a "client key" (Login Kit, docs/networks.md).
    "tiktok": (env_str("TIKTOK_CLIENT_KEY", ""), env_str("TIKTOK_CLIENT_SECRET", "")),
    # A Google Cloud OAuth client (web application) with the YouTube Data API v3 enabled.
    "youtube": (env_str("YOUTUBE_CLIENT_ID", ""), env_str("YOUTUBE_CLIENT_SECRET", "")),
    "pinterest": (env_str("PINTEREST_CLIENT_ID", ""), env_str("PINTEREST_CLIENT_SECRET", "")),
    # A Google Cloud OAuth client (web application) of a project with the Business Profile
    # APIs enabled (access is granted by Google on request; docs/networks.md).
    "google_business": (
        env_str("GOOGLE_BUSINESS_CLIENT_ID", ""),
        env_str("GOOGLE_BUSINESS_CLIENT_SECRET", ""),
    ),
    # The Threads app id and secret of the Meta app's Threads use case (not the Facebook app's).
    "threads": (env_str("THREADS_CLIENT_ID", ""), env_str("THREADS_CLIENT_SECRET", "")),
}
# Reddit search for listening (reputation/services/web_sources.py): the platform's own app,
# app-only OAuth; empty: Reddit sources are refused. Reddit throttles generic User-Agents.
REDDIT_CLIENT_ID = env_str("REDDIT_CLIENT_ID", "")
REDDIT_CLIENT_SECRET = env_str("REDDIT_CLIENT_SECRET", "")
REDDIT_USER_AGENT = env_str("REDDIT_USER_AGENT", "web:agency-social-listening:1.0")
# Meta's webhooks (engagement/views/meta_webhooks.py, docs/networks.md): the token Meta echoes
# when the callback URL is verified, and the app secrets its deliveries are signed with (one
# per Meta app; by default the Facebook app's and Instagram's own). Empty: deliveries refused.
META_WEBHOOK_VERIFY_TOKEN = env_str("META_WEBHOOK_VERIFY_TOKEN", "")
META_WEBHOOK_APP_SECRETS = env_list("META_WEBHOOK_APP_SECRETS", []) or list(
    dict.fromkeys(s for s in (SOCIAL_APPS["facebook"][1], SOCIAL_APPS["instagram"][1]) if s)
)
META_GRAPH_API_VERSION = env_str("META_GRAPH_API_VERSION", "")  # empty: the adapter's default
# Where the Graph API is served (Facebook and Instagram; uploads of videos too when changed):
# Meta's own unless pointed at a local fake of it (http only on loopback; config/env.py).
META_GRAPH_BASE_URL = env_base_url("META_GRAPH_BASE_URL", "https://graph.facebook.com")
LINKEDIN_API_VERSION = env_str("LINKEDIN_API_VERSION", "")  # empty: the adapter's default
MASTODON_CLIENT_NAME = env_str("MASTODON_CLIENT_NAME", "Agency Social")
SOCIAL_TOKEN_REFRESH_WINDOW_HOURS = env_int("SOCIAL_TOKEN_REFRESH_WINDOW_HOURS", 24)

# --- Outbound guard (networks/outbound.py, agency/outbound.py, docs/security.md) ------------
# Fetches made on a user's behalf (feeds, webhooks, media URLs, Mastodon servers) refuse
# loopback, private and carrier-grade NAT addresses. Self-hosters whose feeds or receivers live
# on their own network turn this on; link-local (cloud metadata) stays refused.
OUTBOUND_ALLOW_PRIVATE_ADDRESSES = env_bool("OUTBOUND_ALLOW_PRIVATE_ADDRESSES", False)

# --- Outbound webhooks (webhooks/, docs/webhooks.md) ----------------------------------------
# Seconds a receiver has for one whole delivery (connection, request and answer); one task per
# delivery, so a slow receiver holds up only its own delivery.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
# An endpoint is disabled after this many failed attempts in a row, or failing for 24 hours.
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 50)
# Plain http:// endpoints on localhost, for development and tests only.
WEBHOOK_ALLOW_INSECURE_LOCALHOST = env_bool("WEBHOOK_ALLOW_INSECURE_LOCALHOST", DEBUG)

# --- Publishing engine (publishing/, docs/publishing.md) ------------------------------------
# How long a claimed variant may wait in the queue before the reaper claims it again (it was
# never sent, so that is safe); once sent, the lease is the task time limit + 60 s.
PUBLISH_CLAIM_LEASE_SECONDS = env_int("PUBLISH_CLAIM_LEASE_SECONDS", 120)
PUBLISH_MAX_TRANSIENT_FAILURES = env_int("PUBLISH_MAX_TRANSIENT_FAILURES", 5)
# /health/ says unhealthy when the worker or the dispatcher was not seen for this long, or a
# due variant has waited longer than this without being claimed.
PUBLISH_HEALTH_STALE_SECONDS = env_int("PUBLISH_HEALTH_STALE_SECONDS", 60)
PUBLISH_HEALTH_MAX_LATENESS_SECONDS = env_int("PUBLISH_HEALTH_MAX_LATENESS_SECONDS", 120)

# --- Client reports (reports/, docs/reports.md) ----------------------------------------------
# How long the web version's signed link in a report's e-mail works, in days.
REPORT_LINK_DAYS = env_int("REPORT_LINK_DAYS", 30)
# Seconds one report may take to render (the run task's hard limit; its lease is this + 5 min).
REPORT_TASK_TIME_LIMIT = env_int("REPORT_TASK_TIME_LIMIT", 600)
