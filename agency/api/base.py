"""The base classes of every API endpoint: they resolve the actor and scope every query.

A subclass describes its objects with `model` and may narrow them with `scope_queryset()`; it
cannot override `get_queryset()` (class creation fails), and its model must be a tenant model,
so the narrowing to what the actor sees (`visible_to`: its agency, and a client's brands) is
never lost.
"""

from contextlib import ExitStack

from rest_framework import viewsets
from rest_framework.views import APIView

from agency.api import schema as _schema  # noqa: F401  (registers the schema extensions)
from agency.api.permissions import HasAction
from agency.models import ApiKey
from agency.tenancy import tenant_scope


def _resolve_actor(request):
    if isinstance(request.auth, ApiKey):
        return request.auth
    return getattr(request._request, "membership", None)


class TenantScopedMixin:
    """Sets `request.actor` and the tenant context once DRF has authenticated the request."""

    permission_classes = [HasAction]
    required_actions: dict[str, str] = {}

    def perform_authentication(self, request):
        super().perform_authentication(request)
        request.actor = _resolve_actor(request)
        if request.actor is not None:
            # Authentication happens inside dispatch, so the scope opened here is closed by
            # dispatch's stack when the response is done.
            self._tenant_scopes.enter_context(tenant_scope(request.actor.agency_id))

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as self._tenant_scopes:
            return super().dispatch(request, *args, **kwargs)

    @property
    def actor(self):
        return self.request.actor

    @property
    def agency(self):
        return self.request.actor.agency


class TenantAPIView(TenantScopedMixin, APIView):
    """A single workflow endpoint (one action, nested input/output serializers)."""


class TenantViewSet(TenantScopedMixin, viewsets.GenericViewSet):
    """Base of every resource viewset: the queryset is always the actor's agency's rows."""

    model = None
    # Ids are numbers: anything else does not match the route and gets the API's JSON 404
    # (config.api_urls ends with a catch-all), never Django's HTML page.
    lookup_value_regex = "[0-9]+"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset(); override scope_queryset() instead so "
                "that the agency filter cannot be bypassed."
            )
        if cls.model is not None and not hasattr(cls.model._default_manager, "visible_to"):
            raise TypeError(
                f"{cls.__name__} serves {cls.model.__name__}, which is not a tenant model: the "
                "API cannot narrow it to what the caller may see."
            )

    def scope_queryset(self, queryset):
        """Narrow (select_related, filters). Never widen. The queryset given is already what
        the actor may see (its agency; a client's brands)."""
        return queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        actor = self.request.actor
        queryset = self.scope_queryset(self.model.objects.visible_to(actor))
        # Re-applied after the hook: whatever the subclass did, rows stay within what the
        # actor may see.
        return queryset.visible_to(actor)
