"""The database: PostgreSQL when DATABASE_URL names it, otherwise SQLite under VAR_DIR."""

import dj_database_url

from config.env import env_bool, env_int, env_str
from config.settings.base import VAR_DIR

# PostgreSQL (psycopg 3 with Django's pool) when DATABASE_URL is set; otherwise SQLite in WAL
# mode, with IMMEDIATE transactions so that web, worker and beat processes queue for the write
# lock instead of failing with "database is locked".
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL and not DATABASE_URL.startswith("sqlite:"):
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
    if _db["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 1),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
            "timeout": 10,
        }
    DATABASES = {"default": _db}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # DATABASE_URL=sqlite:////abs/path.sqlite3 picks another file with the same settings (the
    # worker test points a real worker at the test database this way).
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": (
                dj_database_url.parse(DATABASE_URL)["NAME"]
                if DATABASE_URL
                else VAR_DIR / "db.sqlite3"
            ),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests on SQLite use a file so that a real worker process can share the database.
            "TEST": {"NAME": str(VAR_DIR / "test-db.sqlite3")},
        }
    }

# Row-level security (agency/rls.py): the BYPASSRLS role that cross-agency statements switch to
# for their transaction; the application's role is a member. Unused by superusers, and on SQLite.
DATABASE_CROSS_AGENCY_ROLE = env_str("DATABASE_CROSS_AGENCY_ROLE", "agency_cross")
