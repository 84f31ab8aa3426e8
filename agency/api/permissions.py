"""API permissions: the actor must belong to an agency and hold the action the view needs."""

from django.core.exceptions import ImproperlyConfigured
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
        action = getattr(view, "action", None) or request.method.lower()
        if action == "metadata" or request.method == "OPTIONS":
            return True
        if action not in required:
            raise ImproperlyConfigured(f"{type(view).__name__}: no permission for {action!r}.")
        return permissions.can(request.actor, required[action])
