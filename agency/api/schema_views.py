"""The API's schema and its Swagger page, fast: the schema is computed once per process and
language and then served from memory, and Swagger UI is given JSON, which it reads far faster
than the default YAML (the schema is over 500 kB). Issue 17: the page said "LOADING" for 5-7 s.

The schema only changes with the code, and a deploy restarts the processes, so a per-process
memo is never stale; it is keyed by language because descriptions are translated."""

from django.utils.translation import get_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.response import Response

_schemas: dict[tuple[str, str | None], dict] = {}


class CachedSchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (get_language() or "", version)
        if key not in _schemas:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            _schemas[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=_schemas[key],
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
            },
        )


class FastSwaggerView(SpectacularSwaggerView):
    def _get_schema_url(self, request):
        url = super()._get_schema_url(request)
        return url + ("&" if "?" in url else "?") + "format=json"
