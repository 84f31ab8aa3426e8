"""Environment readers that fail loudly.

A typo in a deployment variable must stop the process at start-up, not surface as odd behaviour
at 3 a.m. (healthchecks' `envbool` does the same).
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def env_base_url(name: str, default: str) -> str:
    """An API's base URL (``https://host[:port]``, no path, query or credentials), without a
    trailing slash. Plain ``http://`` only on this machine's loopback (a local fake of the
    API for development and tests): a network token must never travel in clear elsewhere."""
    from urllib.parse import urlsplit

    raw = os.environ.get(name)
    value = (default if raw is None else raw).strip().rstrip("/")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - read for its check: raises on a port that is not a number
    except ValueError:
        parts = None
    problem = ""
    if parts is None or parts.scheme not in {"https", "http"} or not parts.hostname:
        problem = "is not an http(s) URL"
    elif parts.username is not None or parts.password is not None:
        problem = "must not carry credentials"
    elif parts.path or parts.query or parts.fragment:
        problem = "must be the API's base (scheme, host and port only)"
    elif parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        problem = "must use https (http only on localhost, 127.0.0.1 or ::1)"
    if problem:
        raise ImproperlyConfigured(f"{name}={raw!r} {problem}.")
    return value


def redis_url_with_next_db(url: str) -> str:
    """`redis://host:6379/0` -> `redis://host:6379/1` (wrapping at 16, Redis's default count)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    current = parts.path.strip("/") or "0"
    if not current.isdigit():
        raise ImproperlyConfigured(f"REDIS_URL={url!r}: the path must be a database number.")
    return urlunsplit(parts._replace(path=f"/{(int(current) + 1) % 16}"))
