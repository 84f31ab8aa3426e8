"""Encryption at rest for network tokens and app secrets (Fernet: AES-128-CBC + HMAC-SHA256).

Keys come from ``settings.TOKEN_ENCRYPTION_KEYS``: the first key encrypts, every key decrypts
(``MultiFernet``), so a key is rotated by putting the new one first, running
``manage.py rotate_token_keys`` and then removing the old one.

In development, when no key is configured, one is derived from SECRET_KEY so that the embedded
setup needs nothing: such tokens become unreadable if SECRET_KEY changes, which is acceptable
for development data only. Production refuses to start without TOKEN_ENCRYPTION_KEYS
(config/settings/product.py).
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


class TokenDecryptionError(Exception):
    """A stored token cannot be decrypted with any configured key (the message has no token)."""


def _development_key() -> bytes:
    digest = hashlib.sha256(b"agency-social/token-encryption/" + settings.SECRET_KEY.encode())
    return base64.urlsafe_b64encode(digest.digest())


@cache
def _fernet() -> MultiFernet:
    raw_keys = list(settings.TOKEN_ENCRYPTION_KEYS) or [_development_key()]
    fernets = []
    for position, key in enumerate(raw_keys, start=1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, TypeError):
            # Name the position, never the key.
            raise ImproperlyConfigured(
                f"TOKEN_ENCRYPTION_KEYS: key number {position} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from None
    return MultiFernet(fernets)


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    if setting in {"TOKEN_ENCRYPTION_KEYS", "SECRET_KEY"}:
        _fernet.cache_clear()


def encrypt(plaintext: str) -> str:
    """The ciphertext of `plaintext` with the first key; an empty value stays empty."""
    if not plaintext:
        return ""
    return _fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt(ciphertext: str) -> str:
    if not ciphertext:
        return ""
    try:
        return _fernet().decrypt(ciphertext.encode("ascii")).decode()
    except InvalidToken:
        raise TokenDecryptionError(
            "A stored token cannot be decrypted with TOKEN_ENCRYPTION_KEYS: was a key removed "
            "before `rotate_token_keys` ran?"
        ) from None


def reencrypt(ciphertext: str) -> str:
    """The same secret encrypted with the first key (for rotation); empty stays empty."""
    if not ciphertext:
        return ""
    try:
        return _fernet().rotate(ciphertext.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise TokenDecryptionError("A stored token cannot be decrypted for rotation.") from None


ENCRYPTED_SUFFIX = "_encrypted"


def encrypted_columns() -> list[tuple[type, list[str]]]:
    """Every model with columns holding ciphertext of these keys, and those columns.

    The convention is the name: a column that stores ``encrypt()`` output ends in
    ``_encrypted``. ``rotate_token_keys`` re-encrypts exactly this list, so a new encrypted
    column is rotated without anyone remembering to add it there. (The only ciphertext kept
    elsewhere, the accounts waiting to be chosen in ``clients.oauth``, lives ten minutes in a
    session and is not rotated.)
    """
    from django.apps import apps

    found = []
    for model in apps.get_models():
        columns = [
            field.attname
            for field in model._meta.concrete_fields
            if field.attname.endswith(ENCRYPTED_SUFFIX)
        ]
        if columns:
            found.append((model, columns))
    return found


def encrypted_property(column: str, doc: str = "") -> property:
    """A model property that reads and writes the plaintext of the encrypted column `column`.

    The instance only ever holds the ciphertext, so the plaintext is not in ``vars(instance)``,
    in error-page dumps of the object or in serialised fixtures. It is a real ``property``, so
    Django accepts its name as a keyword argument of the model's constructor.
    """

    def getter(instance) -> str:
        return decrypt(getattr(instance, column))

    def setter(instance, value: str | None) -> None:
        setattr(instance, column, encrypt(value or ""))

    return property(getter, setter, doc=doc)
