"""One error format for the whole API: {"error": {"code", "message", "fields"}}."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail) -> str:
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    if isinstance(detail, dict):
        return " ".join(_flatten(item) for item in detail.values())
    return str(detail)


def _messages(detail, path: str = "") -> list[str]:
    """Every message under ``detail`` as plain text (never an ``ErrorDetail(...)`` repr).

    DRF nests the errors of list and dict fields and of nested serializers ({1: [...]}, or a
    list with one entry per item, empty where the item was fine); a nested message starts
    with where it is inside the field: ``[1]: …``, ``[1].name: …``.
    """
    if isinstance(detail, dict):
        return [
            message
            for key, value in detail.items()
            for message in _messages(value, f"{path}[{key}]" if _is_index(key) else f"{path}.{key}")
        ]
    if isinstance(detail, list | tuple):
        if any(isinstance(item, dict) for item in detail):
            return [
                message
                for index, item in enumerate(detail)
                for message in _messages(item, f"{path}[{index}]")
            ]
        return [message for item in detail for message in _messages(item, path)]
    return [f"{path.lstrip('.')}: {detail}" if path else str(detail)]


def _is_index(key) -> bool:
    return isinstance(key, int) or (isinstance(key, str) and key.isdigit())


def _field_errors(detail) -> dict:
    """{field: [messages]}, one key per field of the request."""
    if isinstance(detail, dict):
        return {str(key): _messages(value) for key, value in detail.items()}
    return {}


def _from_django_validation(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if key == "__all__" else key): messages
            for key, messages in exc.message_dict.items()
        }
    else:
        detail = {"non_field_errors": exc.messages}
    return exceptions.ValidationError(detail)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _from_django_validation(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _field_errors(exc.detail)
        message = _("Some fields are not valid.") if fields else _flatten(exc.detail)
        code = "invalid"
        if list(fields) == ["non_field_errors"]:
            message = " ".join(fields.pop("non_field_errors"))
    else:
        fields = {}
        message = _flatten(exc.detail) if hasattr(exc, "detail") else str(exc)
        code = getattr(exc, "default_code", "error")
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        if isinstance(codes, str):
            code = codes
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = "Api-Key"
    return response


@csrf_exempt  # it changes nothing; a POST to a wrong address gets the same JSON 404
def not_found(request, *args, **kwargs):
    """The API's answer for an address no endpoint has (a text id, a typo): a JSON 404 in the
    API's error format, whatever the method, instead of Django's HTML page."""
    path = request.path_info
    if settings.APPEND_SLASH and not path.endswith("/") and request.method in ("GET", "HEAD"):
        # What CommonMiddleware would do if this catch-all did not match first.
        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    body = {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}
    return JsonResponse(body, status=404)
