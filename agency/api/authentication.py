"""`Authorization: Api-Key <key>`: machine access to one agency's data."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from agency.selectors import api_key_get_by_secret_across_agencies
from agency.services.api_keys import api_key_touch


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, secret = header.partition(" ")
        if keyword != self.keyword:
            return None
        secret = secret.strip()
        if not secret:
            raise exceptions.AuthenticationFailed(_("The Api-Key header has no key."))
        api_key = api_key_get_by_secret_across_agencies(secret)
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        if not api_key.is_active:
            raise exceptions.AuthenticationFailed(_("This API key was revoked."))
        api_key_touch(api_key)
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "agency.api.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`; create keys in Settings → API keys.",
        }
