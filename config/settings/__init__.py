"""The settings, driven by the environment (DJANGO_SETTINGS_MODULE=config.settings).

DJANGO_ENV chooses the profile: ``development`` (default: SQLite under var/, console email,
a development secret key), or ``production`` (every secret from the environment, HTTPS-only
cookies; ``manage.py check --deploy`` is clean). DATABASE_URL and REDIS_URL switch the embedded
SQLite and the local Celery transport to PostgreSQL and Redis, whatever the profile.

One module per topic; each reads its own variables, and imports what it needs of the profile
(PRODUCTION, DEBUG, VAR_DIR) from `base`, so the order below does not matter:

* `base`: the profile, secret key and hosts, apps, middleware, templates, languages, static and
  media files, logging, SITE_URL;
* `database`: DATABASES (PostgreSQL or SQLite);
* `celery`: the cache, the broker, task limits and beat's schedule;
* `auth`: password validation and django-allauth; `email`: outgoing mail;
* `api`: Django REST framework and the OpenAPI schema;
* `security`: cookies, framing, HTTPS and HSTS;
* `product`: invitations, API keys, connected social accounts, the outbound guard, webhooks and
  the publishing engine.
"""

from config.settings.api import *  # noqa: F403
from config.settings.auth import *  # noqa: F403
from config.settings.base import *  # noqa: F403
from config.settings.celery import *  # noqa: F403
from config.settings.database import *  # noqa: F403
from config.settings.email import *  # noqa: F403
from config.settings.product import *  # noqa: F403
from config.settings.security import *  # noqa: F403
