#!/usr/bin/env bash
# Wait (bounded) until the database and the broker named by DATABASE_URL / REDIS_URL answer,
# and create the PostgreSQL database if the server answers but the database does not exist.
# With neither variable set (SQLite + filesystem broker) there is nothing to wait for.
#
# Usage: scripts/wait_for_services.sh [SECONDS]   (default 30; run with the project's venv)
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

exec "$PYTHON" - "${1:-30}" <<'PY'
import os
import sys
import time

import dj_database_url

deadline = time.monotonic() + int(sys.argv[1])


def wait(name, attempt):
    last = None
    while time.monotonic() < deadline:
        try:
            attempt()
            print(f"wait_for_services: {name} is up")
            return
        except Exception as exc:  # noqa: BLE001 - any failure means "not yet"
            last = exc
            time.sleep(1)
    sys.exit(f"wait_for_services: {name} did not answer: {last}")


database_url = os.environ.get("DATABASE_URL", "")
if database_url and not database_url.startswith("sqlite:"):
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(database_url)
    params = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "connect_timeout": 3,
    }

    def postgres():
        try:
            psycopg.connect(dbname=db["NAME"], **params).close()
        except psycopg.OperationalError as exc:
            if "does not exist" not in str(exc):
                raise
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"wait_for_services: created database {db['NAME']}")

    wait(f"PostgreSQL ({db['HOST']}:{db['PORT']}/{db['NAME']})", postgres)

redis_url = os.environ.get("REDIS_URL", "")
if redis_url:
    import redis

    wait(f"Redis ({redis_url})", lambda: redis.Redis.from_url(redis_url, socket_timeout=3).ping())
PY
