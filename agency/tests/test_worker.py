"""Tasks run in a real Celery worker, against the test database, inside the right tenant.

The worker test starts `celery -A config worker` as a subprocess on the same broker as the
test (Redis when REDIS_URL is set, else kombu's filesystem folders under VAR_DIR) but on a
queue of its own, so parallel runs and a `make run` worker on the same machine never take each
other's messages. It reaches the test database through DATABASE_URL.
"""

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import shared_task
from django.conf import settings
from django.db import connection
from django.urls import reverse

from agency.models import Role
from agency.services.invitations import invitation_create
from agency.tasks import send_invitation_email
from agency.tasks_base import TenantTask
from agency.tenancy import NoTenantError, current_agency_id_or_none, tenant_scope
from agency.tests.factories import AgencyFactory, InvitationFactory, MembershipFactory
from config.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
WORKER_START_AND_DELIVER_SECONDS = 30


def _test_database_url() -> str:
    """A DATABASE_URL naming the database this test runs on (pytest-django's test database)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(db['NAME'], safe='')}"


def _start_worker(queue: str, mail_dir: Path, log_path: Path) -> subprocess.Popen:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"EMAIL_HOST", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        # What the worker queues itself (a task after its own commit) stays on the test's queue.
        CELERY_TASK_DEFAULT_QUEUE=queue,
        DATABASE_URL=_test_database_url(),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        PYTHONUNBUFFERED="1",
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        f"--queues={queue}",
        f"--hostname={queue}@%h",
        "--loglevel=INFO",
    ]
    with log_path.open("wb") as log:
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so that stopping it is clean
        )


def _stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_for_mail(mail_dir: Path, process: subprocess.Popen, log_path: Path) -> bytes:
    deadline = time.monotonic() + WORKER_START_AND_DELIVER_SECONDS
    while time.monotonic() < deadline:
        files = sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []
        if files and files[0].stat().st_size:
            time.sleep(0.1)  # the backend writes the message in one go; be safe
            return files[0].read_bytes()
        if process.poll() is not None:
            pytest.fail(f"The worker exited with {process.returncode}:\n{log_path.read_text()}")
        time.sleep(0.2)
    pytest.fail(
        f"No email within {WORKER_START_AND_DELIVER_SECONDS}s. Worker log:\n" + log_path.read_text()
    )


@pytest.fixture
def worker_queue():
    """A queue of this test's own: the test process publishes to it, its worker consumes it."""
    queue = f"test-worker-{uuid.uuid4().hex[:12]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        celery_app.conf.task_default_queue = previous


@pytest.mark.worker
def test_invitation_email_is_sent_by_a_real_worker(transactional_db, tmp_path, worker_queue):
    owner = MembershipFactory(role=Role.OWNER, agency__language="fr")
    mail_dir = tmp_path / "mail"
    log_path = tmp_path / "worker.log"

    worker = _start_worker(worker_queue, mail_dir, log_path)
    try:
        # Enqueued by transaction.on_commit, i.e. as soon as the service's transaction commits.
        with tenant_scope(owner.agency_id):
            _, token = invitation_create(
                actor=owner, email="Nouvelle.Recrue@Example.test", role=Role.ANALYST
            )
        raw = _wait_for_mail(mail_dir, worker, log_path)
    finally:
        _stop_worker(worker)

    message = email.message_from_bytes(raw.split(b"\n" + b"-" * 79)[0], policy=email.policy.default)
    body = message.get_content()
    assert message["To"] == "nouvelle.recrue@example.test"
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    assert link in body
    assert token in body
    assert owner.agency.name in message["Subject"]


# --- The task base class, in-process ---------------------------------------------------------


@shared_task(base=TenantTask, name="agency.tests.test_worker.report_scope")
def report_scope(*, agency_id: int) -> int | None:
    return current_agency_id_or_none()


def test_tenant_task_without_agency_id_fails_and_reads_no_tenant_row(db, django_assert_num_queries):
    invitation = InvitationFactory()
    with django_assert_num_queries(0), pytest.raises(NoTenantError, match="without agency_id"):
        send_invitation_email.apply(
            kwargs={"invitation_id": invitation.pk, "token": invitation.token}, throw=True
        )


def test_tenant_task_runs_inside_the_given_agencys_scope_and_leaves_it(db):
    agency = AgencyFactory()
    assert report_scope.apply(kwargs={"agency_id": agency.pk}, throw=True).get() == agency.pk
    assert current_agency_id_or_none() is None


def test_invitation_task_sends_the_link_in_the_invitations_agency(db, mailoutbox):
    invitation = InvitationFactory()
    send_invitation_email.apply(
        kwargs={
            "agency_id": invitation.agency_id,
            "invitation_id": invitation.pk,
            "token": invitation.token,
        },
        throw=True,
    )
    assert len(mailoutbox) == 1
    assert reverse("invitation_accept", args=[invitation.token]) in mailoutbox[0].body


def test_invitation_task_given_another_agency_finds_nothing_and_sends_nothing(db, mailoutbox):
    invitation = InvitationFactory()
    other_agency = AgencyFactory()
    send_invitation_email.apply(
        kwargs={
            "agency_id": other_agency.pk,
            "invitation_id": invitation.pk,
            "token": invitation.token,
        },
        throw=True,
    )
    assert mailoutbox == []
