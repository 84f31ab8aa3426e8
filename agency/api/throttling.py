"""Rate limits of the API: one budget per API key and one per signed-in person.

Counted in the cache (Redis in production, so every web process shares the count). A caller
over its budget gets 429 with `Retry-After` (seconds). Rates come from REST_FRAMEWORK's
DEFAULT_THROTTLE_RATES (`api_key`, `api_user`), set from API_RATE_LIMIT_KEY and
API_RATE_LIMIT_USER ("1200/min", "20/second", … or "off"); see docs/api.md.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from agency.models import ApiKey


class _ActorRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        # Read at each request rather than once at import, so a changed setting applies.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate in (None, "", "off") else rate

    def ident_of(self, request) -> str | None:
        raise NotImplementedError

    def get_cache_key(self, request, view):
        ident = self.ident_of(request)
        if ident is None:
            return None  # not this throttle's kind of caller
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApiKeyRateThrottle(_ActorRateThrottle):
    """Requests per API key, whichever machine sends them."""

    scope = "api_key"

    def ident_of(self, request):
        return str(request.auth.pk) if isinstance(request.auth, ApiKey) else None


class MemberRateThrottle(_ActorRateThrottle):
    """Requests per person signed in (session), across their agencies."""

    scope = "api_user"

    def ident_of(self, request):
        if isinstance(request.auth, ApiKey):
            return None
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else None
