"""The deployment files hold together: compose stack, Dockerfile, Procfile, CI script.

No Docker engine runs where the tests run, so `docker compose config` cannot validate the stack;
these tests check its structure instead (services, health checks, start order, volumes, env).
"""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def test_compose_runs_postgres_redis_and_the_app_processes(compose):
    services = compose["services"]
    assert set(services) >= {"db", "redis", *APP_SERVICES}
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert "gunicorn" in services["web"]["command"]
    assert "config.wsgi" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    beat = services["beat"]["command"]
    assert "beat" in beat
    assert "--scheduler" not in beat  # the schedule is settings.CELERY_BEAT_SCHEDULE, once
    assert "migrate" in services["migrate"]["command"]
    assert services["migrate"]["restart"] == "no"


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker", "beat"])
def test_compose_service_has_a_health_check(compose, name):
    check = compose["services"][name]["healthcheck"]
    assert check["test"]
    assert check["interval"]


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_processes_wait_for_healthy_services_and_migrations(compose, name):
    depends = compose["services"][name]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_waits_for_a_healthy_database(compose):
    assert compose["services"]["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_the_production_profile_on_postgres_and_redis(compose, name):
    env = compose["services"][name]["environment"]
    assert env["DJANGO_ENV"] == "production"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@db:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")


@pytest.mark.parametrize(
    "variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "TOKEN_ENCRYPTION_KEYS"]
)
def test_secrets_come_from_the_environment_and_are_required(compose, variable):
    value = compose["services"]["web"]["environment"][variable]
    assert re.fullmatch(r"\$\{" + variable + r":\?[^}]+\}", value), value


def test_compose_volumes_are_named_and_declared(compose):
    declared = set(compose["volumes"])
    used = set()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert not source.startswith((".", "/")), f"bind mount {volume}"
            used.add(source)
    assert used == declared
    assert {"pgdata", "redisdata"} <= used


def test_dockerfile_builds_a_non_root_python_311_gunicorn_image():
    text = (BASE_DIR / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert "requirements.txt" in text
    assert "npm ci" in text
    assert "collectstatic --noinput" in text
    assert "scripts/compile_translations.py" in text
    assert re.search(r'^CMD \["gunicorn", "config\.wsgi", "--bind", "0\.0\.0\.0:8000"', text, re.M)


def test_the_image_installs_the_system_packages_the_pdf_reports_need():
    script = (BASE_DIR / "scripts" / "system_packages.sh").read_text()
    runtime = re.search(r"^packages=\(([^)]*)\)", script, re.M).group(1).split()
    runtime_stage = (BASE_DIR / "Dockerfile").read_text().split("AS runtime", 1)[1]
    for package in runtime:
        assert package in runtime_stage, package


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    ignored = set((BASE_DIR / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".env", "node_modules", "var"} <= ignored


def test_procfile_starts_web_a_real_worker_and_beat():
    processes = dict(
        line.split(":", 1)
        for line in (BASE_DIR / "Procfile").read_text().splitlines()
        if re.match(r"^[A-Za-z0-9_-]+:", line)
    )
    assert set(processes) == {"web", "worker", "beat"}
    assert "127.0.0.1:8000" in processes["web"]
    worker = processes["worker"]
    assert "celery -A config worker" in worker
    # kombu's filesystem transport has no broadcast: these would wait for it.
    for flag in ("--without-gossip", "--without-mingle", "--without-heartbeat"):
        assert flag in worker
    assert "--scheduler" not in processes["beat"]


def test_ci_script_is_strict_and_starts_the_services_it_needs():
    text = (BASE_DIR / ".ci" / "run").read_text()
    assert "set -euo pipefail" in text
    assert "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start" in text
    assert "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379" in text
    assert "pg_isready" in text
    assert "redis-cli" in text
    assert re.search(r"^make test\b", text, re.M)
