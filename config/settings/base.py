"""The profile (DJANGO_ENV), the secret key and hosts, the apps, middleware and templates,
languages, static and media files, logging and the site's address."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_list, env_str

# config/settings/base.py: three levels up is the project.
BASE_DIR = Path(__file__).resolve().parent.parent.parent
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

# The product's own host names: no agency may take one as its portal domain. With
# PORTAL_CUSTOM_DOMAINS on, agencies' portal domains (Agency.portal_domain, docs/setup.md) are
# served too: Django's own Host check is opened and agency.hosts.PortalHostMiddleware, first in
# MIDDLEWARE, makes it instead (these names: everything; a portal domain: its agency's portal
# and the paths of PORTAL_DOMAIN_PATHS only; any other name: 400).
PRODUCT_HOSTS = list(ALLOWED_HOSTS)
PORTAL_CUSTOM_DOMAINS = env_bool("PORTAL_CUSTOM_DOMAINS", False)
if PORTAL_CUSTOM_DOMAINS:
    ALLOWED_HOSTS = ["*"]
PORTAL_HOME_PATH = "/portal/"
PORTAL_DOMAIN_PATHS = ("/portal/", "/accounts/", "/i18n/", "/static/", "/media/")

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
    "engagement",  # the inbox, below publishing: above campaigns, reputation and clients
    "analytics",  # metrics and their pages: above engagement, beside publishing
    "reports",  # client reports (templates, PDF, schedules): above analytics
    "portal",  # the client's own space: above reports
    "demo",  # the top layer: may import every app (seed_demo)
]

MIDDLEWARE = [
    "agency.hosts.PortalHostMiddleware",  # before anything reads the Host
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
                "engagement.context_processors.inbox_unread",
                "publishing.health.health_banner",  # when /health/ is not ok
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs each step of every PDF at INFO; its warnings are what matter.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
# Absolute address of the dashboard, used in emailed links.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
