"""The one settings module, driven by the environment.

DJANGO_ENV chooses the profile: ``development`` (default: SQLite under var/, console email,
a development secret key), or ``production`` (every secret from the environment, HTTPS-only
cookies; ``manage.py check --deploy`` is clean). DATABASE_URL and REDIS_URL switch the embedded
SQLite and the local Celery transport to PostgreSQL and Redis, whatever the profile.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str, redis_url_with_next_db

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV={DJANGO_ENV!r}: use 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required in production.")
else:
    SECRET_KEY = env_str(
        "DJANGO_SECRET_KEY", "development-only-key-never-use-in-production-0123456789abcdef"
    )
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "core",
    "agency",
    "notifications",
    "webhooks",
    "clients",
    "campaigns",
    "reputation",
    "publishing",
    "demo",  # the top layer: may import every app (seed_demo)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "agency.middleware.TenantMiddleware",
    "agency.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "agency.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agency.context_processors.tenant",
                "notifications.context_processors.unread",
                "reputation.context_processors.open_crises",
                "publishing.health.health_banner",  # when /health/ is not ok
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# PostgreSQL (psycopg 3 with Django's pool) when DATABASE_URL is set; otherwise SQLite in WAL
# mode, with IMMEDIATE transactions so that web, worker and beat processes queue for the write
# lock instead of failing with "database is locked".
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL and not DATABASE_URL.startswith("sqlite:"):
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
    if _db["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 1),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
            "timeout": 10,
        }
    DATABASES = {"default": _db}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # DATABASE_URL=sqlite:////abs/path.sqlite3 picks another file with the same settings (the
    # worker test points a real worker at the test database this way).
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": (
                dj_database_url.parse(DATABASE_URL)["NAME"]
                if DATABASE_URL
                else VAR_DIR / "db.sqlite3"
            ),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests on SQLite use a file so that a real worker process can share the database.
            "TEST": {"NAME": str(VAR_DIR / "test-db.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # The cache gets its own Redis database: clearing the cache (FLUSHDB) must never drop the
    # broker's queued tasks. By default the next database number after the broker's.
    REDIS_CACHE_URL = env_str("REDIS_CACHE_URL", "") or redis_url_with_next_db(REDIS_URL)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # Longer than the longest task, so that Redis never redelivers a task still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
else:
    # A cache on disk, so that the web, worker and beat processes share it.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    # kombu's filesystem transport: a real broker between processes with no server to install.
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    # kombu's transport with atomic writes and a reader that skips (and sets aside) a file it
    # cannot decode instead of dying on it (config/broker.py, docs/decisions.md).
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Where worker control messages (broadcasts) go; kombu's default is ./control.
        "control_folder": str(_broker_dir / "control"),
    }

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The periodic tasks are defined once, in CELERY_BEAT_SCHEDULE below, and beat keeps only its
# last-run times in a file (Celery's PersistentScheduler): no schedule in the database that
# could disagree with this one (docs/decisions.md). Losing the file only makes beat run each
# dispatcher once at start, which they tolerate: due work lives in our own tables.
CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = env_str(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule")
)
CELERY_TIMEZONE = "UTC"
# Tests and one-off scripts may run tasks in-process; never the default.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# --- Auth (django-allauth) ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard:overview"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_SIGNUP_FORM_CLASS = "agency.forms.AgencySignupForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Agency Social] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Agency Social"

# --- Email ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Agency Social <no-reply@agency-social.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env_str("EMAIL_HOST", ""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agency.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["agency.api.permissions.IsAgencyMember"],
    "DEFAULT_PAGINATION_CLASS": "agency.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["agency.api.filters.TenantFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "agency.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_THROTTLE_CLASSES": [
        "agency.api.throttling.ApiKeyRateThrottle",
        "agency.api.throttling.MemberRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "api_key": env_str("API_RATE_LIMIT_KEY", "1200/min"),
        "api_user": env_str("API_RATE_LIMIT_USER", "600/min"),
    },
}
for _name, _rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].items():
    _count, _sep, _period = _rate.partition("/")
    if _rate != "off" and not (_count.isdigit() and _period[:1] in {"s", "m", "h", "d"}):
        raise ImproperlyConfigured(
            f"API rate limit {_name}={_rate!r}: use a number per period, e.g. 1200/min, or off."
        )
SPECTACULAR_SETTINGS = {
    "TITLE": "Agency Social API",
    "DESCRIPTION": (
        "REST API for CRM and reporting integrations. Authenticate with "
        "`Authorization: Api-Key <key>`; every object belongs to the key's agency."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "agency.api.schema.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "agency.models.Role",
        "SentimentLabelEnum": "reputation.models.mentions.SentimentLabel",
        "ContentLanguageEnum": "clients.models.ContentLanguage",
    },
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Product settings -----------------------------------------------------------------------
INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 7)
API_KEY_LAST_USED_PRECISION_SECONDS = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# Absolute address of the dashboard, used in emailed links.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

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
    "x": (env_str("X_CLIENT_ID", ""), env_str("X_CLIENT_SECRET", "")),
}
META_GRAPH_API_VERSION = env_str("META_GRAPH_API_VERSION", "")  # empty: the adapter's default
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

# --- Publishing engine (publishing/, docs/publishing.md) -------------------------
# How long a claimed variant may wait in the queue before the reaper claims it again (it was
# never sent, so that is safe); once sent, the lease is the task time limit + 60 s.
PUBLISH_CLAIM_LEASE_SECONDS = env_int("PUBLISH_CLAIM_LEASE_SECONDS", 120)
PUBLISH_MAX_TRANSIENT_FAILURES = env_int("PUBLISH_MAX_TRANSIENT_FAILURES", 5)
# /health/ says unhealthy when the worker or the dispatcher was not seen for this long, or a
# due variant has waited longer than this without being claimed.
PUBLISH_HEALTH_STALE_SECONDS = env_int("PUBLISH_HEALTH_STALE_SECONDS", 60)
PUBLISH_HEALTH_MAX_LATENESS_SECONDS = env_int("PUBLISH_HEALTH_MAX_LATENESS_SECONDS", 120)

CELERY_BEAT_SCHEDULE = {
    # Publishing: claim due variants (across agencies) every two seconds; the due time lives in
    # the database, never in a Celery ETA.
    "campaigns.dispatch_due_publications": {
        "task": "campaigns.dispatch_due_publications",
        "schedule": 2.0,
    },
    # Publishing: variants whose lease ran out (a worker died): ask the network, never resend
    # blindly.
    "campaigns.reap_expired_publications": {
        "task": "campaigns.reap_expired_publications",
        "schedule": 30.0,
    },
    # Publishing: post metrics at 1 h, 24 h and 7 days after publication.
    "campaigns.dispatch_metric_snapshots": {
        "task": "campaigns.dispatch_metric_snapshots",
        "schedule": 300.0,
    },
    # Campaigns: remind approvers of posts awaiting them (each brand at most once a day).
    "campaigns.dispatch_approval_reminders": {
        "task": "campaigns.dispatch_approval_reminders",
        "schedule": 60 * 60.0,
    },
    "clients.dispatch_token_refreshes": {
        "task": "clients.tasks.dispatch_token_refreshes",
        "schedule": 15 * 60.0,
    },
    # Listening: claim the sources due for a poll (leases in the database), every minute.
    "reputation.dispatch_due_sources": {
        "task": "reputation.dispatch_due_sources",
        "schedule": 60.0,
    },
    # Webhooks: send the deliveries that are due (first attempts whose queued message was lost,
    # and retries). The database row is the source of truth, not the message.
    "agency.sweep_webhook_deliveries": {
        "task": "agency.sweep_webhook_deliveries",
        "schedule": 30.0,
    },
    # Crises: evaluate brands with recent mentions or open incidents (also runs on each batch).
    "reputation.dispatch_crisis_evaluations": {
        "task": "reputation.dispatch_crisis_evaluations",
        "schedule": 15 * 60.0,
    },
    # Notification centre: the daily email digests (each person's hour, agency time zone).
    "agency.dispatch_notification_digests": {
        "task": "agency.dispatch_notification_digests",
        "schedule": 3600.0,
    },
}
