"""The cache and Celery (broker, task limits, beat and its schedule): on Redis when REDIS_URL
is set, otherwise on disk under VAR_DIR (a file cache and kombu's filesystem transport)."""

from config.env import env_bool, env_int, env_str, redis_url_with_next_db
from config.settings.base import VAR_DIR

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # The cache gets its own Redis database: clearing the cache (FLUSHDB) must never drop the
    # broker's queued tasks. By default the next database number after the broker's.
    REDIS_CACHE_URL = env_str("REDIS_CACHE_URL", "") or redis_url_with_next_db(REDIS_URL)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # Longer than the longest task, so that Redis never redelivers a task still running.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
else:
    # A cache on disk, so that the web, worker and beat processes share it.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    # kombu's filesystem transport: a real broker between processes with no server to install.
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    # kombu's transport with atomic writes and a reader that skips (and sets aside) a file it
    # cannot decode instead of dying on it (config/broker.py, docs/decisions.md).
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Where worker control messages (broadcasts) go; kombu's default is ./control.
        "control_folder": str(_broker_dir / "control"),
    }

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The periodic tasks are defined once, in CELERY_BEAT_SCHEDULE below, and beat keeps only its
# last-run times in a file (Celery's PersistentScheduler): no schedule in the database that
# could disagree with this one (docs/decisions.md). Losing the file only makes beat run each
# dispatcher once at start, which they tolerate: due work lives in our own tables.
CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = env_str(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(VAR_DIR / "celerybeat-schedule")
)
CELERY_TIMEZONE = "UTC"
# Tests and one-off scripts may run tasks in-process; never the default.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# The queue tasks are sent to. A test's worker process is given the test's own queue, so that
# what it queues itself (a rule's hide after the worker stored the comment) comes back to it
# rather than to another worker's "celery" queue on the same broker.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")

CELERY_BEAT_SCHEDULE = {
    # Publishing: claim due variants (across agencies) every two seconds; the due time lives in
    # the database, never in a Celery ETA.
    "campaigns.dispatch_due_publications": {
        "task": "campaigns.dispatch_due_publications",
        "schedule": 2.0,
    },
    # Publishing: variants whose lease ran out (a worker died): ask the network, never resend
    # blindly.
    "campaigns.reap_expired_publications": {
        "task": "campaigns.reap_expired_publications",
        "schedule": 30.0,
    },
    # Inbox outbox: replies and actions whose lease ran out (a worker died, no answer came): ask
    # the network before any resend; queued rows whose message was lost are queued again.
    "engagement.reap_outbound_actions": {
        "task": "engagement.reap_outbound_actions",
        "schedule": 30.0,
    },
    # Inbox SLA: mark the conversations whose response-time target fell due (once each, by a
    # conditional update), alert and announce them. A minute is the targets' resolution.
    "engagement.sla_breaches_mark_across_agencies": {
        "task": "engagement.sla_breaches_mark_across_agencies",
        "schedule": 60.0,
    },
    # Analytics: claim the accounts with metrics due (posts on the age ladder, each account
    # once a day) and queue one collection per account.
    "analytics.dispatch_metric_collection": {
        "task": "analytics.dispatch_metric_collection",
        "schedule": 300.0,
    },
    # Campaigns: remind approvers of posts awaiting them (each brand at most once a day).
    "campaigns.dispatch_approval_reminders": {
        "task": "campaigns.dispatch_approval_reminders",
        "schedule": 60 * 60.0,
    },
    "clients.dispatch_token_refreshes": {
        "task": "clients.tasks.dispatch_token_refreshes",
        "schedule": 15 * 60.0,
    },
    # The network rules watch: warn admins of API versions retiring in 60, 30 or 7 days (once
    # per threshold, recorded; a run at beat's start is harmless).
    "clients.warn_api_retirements": {
        "task": "clients.tasks.warn_api_retirements",
        "schedule": 24 * 60 * 60.0,
    },
    # Listening: claim the sources due for a poll (leases in the database), every minute.
    "reputation.dispatch_due_sources": {
        "task": "reputation.dispatch_due_sources",
        "schedule": 60.0,
    },
    # Webhooks: send the deliveries that are due (first attempts whose queued message was lost,
    # and retries). The database row is the source of truth, not the message.
    "agency.sweep_webhook_deliveries": {
        "task": "agency.sweep_webhook_deliveries",
        "schedule": 30.0,
    },
    # Crises: evaluate brands with recent mentions or open incidents (also runs on each batch).
    "reputation.dispatch_crisis_evaluations": {
        "task": "reputation.dispatch_crisis_evaluations",
        "schedule": 15 * 60.0,
    },
    # Reports: fire the report schedules that are due (once per period, in each brand's time
    # zone), and queue again the runs whose message or worker was lost.
    "reports.schedules_dispatch_across_agencies": {
        "task": "reports.schedules_dispatch_across_agencies",
        "schedule": 60.0,
    },
    "reports.runs_sweep_across_agencies": {
        "task": "reports.runs_sweep_across_agencies",
        "schedule": 300.0,
    },
    # Notification centre: the daily email digests (each person's hour, agency time zone).
    "agency.dispatch_notification_digests": {
        "task": "agency.dispatch_notification_digests",
        "schedule": 3600.0,
    },
}
