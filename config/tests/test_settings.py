"""Settings come from the environment, fail loudly on bad values, and pass `check --deploy`.

Settings are read once per process, so each profile is loaded in a subprocess.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_base_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(settings.BASE_DIR)


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_")) and key != "TOKEN_ENCRYPTION_KEYS"
    }
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="agency.example,www.agency.example",
        TOKEN_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        VAR_DIR=str(tmp_path / "var"),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings_of(env: dict[str, str], *names: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- The environment helpers ----------------------------------------------------------------


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "tru"])
def test_env_bool_refuses_a_value_that_is_not_a_boolean(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("Yes", True), (" on ", True), ("0", False), ("off", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_env_bool_and_env_int_fall_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("SOME_VALUE", raising=False)
    assert env_bool("SOME_VALUE", True) is True
    assert env_int("SOME_VALUE", 42) == 42


@pytest.mark.parametrize("raw", ["ten", "1.5", "3 days", "0x10"])
def test_env_int_refuses_a_value_that_is_not_a_whole_number(monkeypatch, raw):
    monkeypatch.setenv("SOME_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "-7")
    assert env_int("SOME_NUMBER", 1) == -7


def test_env_str_without_default_requires_the_variable(monkeypatch):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_SECRET is required"):
        env_str("SOME_SECRET")


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", " a.example, ,b.example ")
    assert env_list("SOME_HOSTS", []) == ["a.example", "b.example"]


# --- Profiles, loaded in a subprocess -------------------------------------------------------


def test_production_profile_passes_check_deploy(tmp_path):
    done = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_without_a_secret_key_fails_loudly(tmp_path):
    done = _manage(_production_env(tmp_path, DJANGO_SECRET_KEY=None), "check")
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in done.stderr


def test_production_without_allowed_hosts_fails_loudly(tmp_path):
    done = _manage(_production_env(tmp_path, DJANGO_ALLOWED_HOSTS=None), "check")
    assert done.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in done.stderr


def test_production_refuses_debug(tmp_path):
    done = _manage(_production_env(tmp_path, DJANGO_DEBUG="1"), "check")
    assert done.returncode != 0
    assert "DJANGO_DEBUG must be off" in done.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("DJANGO_ENV", "staging"), ("DJANGO_DEBUG", "perhaps"), ("CELERY_TASK_TIME_LIMIT", "5m")],
)
def test_a_bad_value_stops_the_process_naming_the_variable(tmp_path, name, value):
    env = {**_production_env(tmp_path), "DJANGO_ENV": "development", name: value}
    done = _manage(env, "check")
    assert done.returncode != 0
    assert name in done.stderr


def test_a_sqlite_database_url_keeps_wal_and_immediate_transactions(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in {"DJANGO_ENV", "REDIS_URL"}
    }
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite3'}", VAR_DIR=str(tmp_path))
    db = _settings_of(env, "DATABASES")["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "other.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


@pytest.mark.parametrize(
    ("broker", "cache"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/1"),
        ("redis://:secret@cache.internal:6380/15", "redis://:secret@cache.internal:6380/0"),
    ],
)
def test_the_cache_never_shares_the_brokers_redis_database(broker, cache):
    from config.env import redis_url_with_next_db

    assert redis_url_with_next_db(broker) == cache


@pytest.mark.parametrize(
    "raw",
    [
        "graph.facebook.com",
        "ftp://graph.facebook.com",
        "http://graph.facebook.com",  # a token in clear on the internet
        "http://10.0.0.5:8080",
        "https://graph.facebook.com/v26.0",
        "https://graph.facebook.com?x=1",
        "https://user:secret@graph.facebook.com",
        "https://graph.facebook.com:port",
        "https://",
    ],
)
def test_a_base_url_that_is_not_one_stops_the_process(monkeypatch, raw):
    monkeypatch.setenv("META_GRAPH_BASE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="META_GRAPH_BASE_URL"):
        env_base_url("META_GRAPH_BASE_URL", "https://graph.facebook.com")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, "https://graph.facebook.com"),
        ("https://graph.example.test/", "https://graph.example.test"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),  # a local fake, for tests
        ("http://localhost:9000/", "http://localhost:9000"),
    ],
)
def test_a_base_url_is_read_without_its_trailing_slash(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("META_GRAPH_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("META_GRAPH_BASE_URL", raw)
    assert env_base_url("META_GRAPH_BASE_URL", "https://graph.facebook.com") == expected
