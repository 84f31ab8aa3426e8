"""The REST API: Django REST framework (authentication, tenancy, throttling) and its OpenAPI
schema (drf-spectacular)."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_str
from config.settings.base import DEBUG

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
    # Folded operations and no models section: Swagger UI draws a 500 kB schema at once otherwise.
    "SWAGGER_UI_SETTINGS": {"docExpansion": "none", "defaultModelsExpandDepth": -1},
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
        "MentionLanguageEnum": "reputation.models.mentions.MentionLanguage",
        "ConversationKindEnum": "engagement.models.ConversationKind",
        "ConversationStatusEnum": "engagement.models.ConversationStatus",
        "NetworkEnum": "networks.registry.NETWORK_CHOICES",
        "AuthorListEnum": "engagement.models.AuthorList",
    },
}
