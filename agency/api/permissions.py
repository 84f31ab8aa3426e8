"""API permissions: the actor must belong to an agency and hold the action the view needs."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from agency import permissions


class IsAgencyMember(BasePermission):
    """Every API view needs an actor: a member (session) or an API key of an agency."""

    def has_permission(self, request, view):
        return getattr(request, "actor", None) is not None


class HasAction(IsAgencyMember):
    """Maps the view's action (list, create, …) to a permission action, failing closed."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        required = getattr(view, "required_actions", None)
        if required is None:
            raise ImproperlyConfigured(f"{type(view).__name__} declares no required_actions.")
        if request.method == "OPTIONS":
            return True
        action = getattr(view, "action", None) or _method_action(request, view)
        if action == "metadata":
            return True
        if action not in required:
            raise ImproperlyConfigured(f"{type(view).__name__}: no permission for {action!r}.")
        return permissions.can(request.actor, required[action])


def _method_action(request, view) -> str:
    """The action of a plain APIView: its method (HEAD is GET without a body).

    A method the view has no handler for (TRACE, an unknown verb, PUT on a GET-only view, or
    any method a viewset does not route) is a 405 here, before any permission is looked up:
    otherwise it would reach the ImproperlyConfigured below and answer 500.
    """
    method = request.method.lower()
    if method == "head":
        method = "get"
    routed = getattr(view, "action_map", None)
    if routed is not None or method not in view.http_method_names or not hasattr(view, method):
        raise exceptions.MethodNotAllowed(request.method)
    return method
