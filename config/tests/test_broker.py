"""The embedded broker (config/broker.py): a reader never dies on a partly written message file.

Reproduces what stopped the embedded worker: kombu's filesystem transport creates a message
file, then writes it; a worker listing the folder in between read an empty or partial file and
its consumer died on JSONDecodeError. Real kombu connections on a temporary folder, no mocks.
"""

import json
import os
import threading
import time
import uuid
from pathlib import Path

import pytest
from kombu import Connection
from kombu.transport import filesystem

from config.broker import Transport

SETTINGS_BASE = Path(__file__).resolve().parents[2]


@pytest.fixture
def folders(tmp_path):
    paths = {name: tmp_path / name for name in ("queue", "processed", "control")}
    for path in paths.values():
        path.mkdir()
    return paths


def _options(folders) -> dict:
    return {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
    }


def _connection(folders, transport=Transport) -> Connection:
    return Connection("filesystem://", transport=transport, transport_options=_options(folders))


def _partial_message(folders, queue: str = "celery") -> Path:
    """A message file as a reader finds it while the writer is still writing."""
    path = folders["queue"] / f"{int(time.monotonic() * 1000) - 5000}_partial.{queue}.msg"
    path.write_bytes(b'{"body": "eyJ0YXNrIjogImNhbXBhaWducy5wdWJsaXNoX3Zh')
    return path


def test_stock_kombu_dies_on_a_partly_written_message_file(folders):
    """The cause, kept as a test: if kombu fixes it, config/broker.py can go."""
    _partial_message(folders)
    with _connection(folders, transport=filesystem.Transport) as conn:
        channel = conn.default_channel
        with pytest.raises(json.JSONDecodeError):
            channel._get("celery")


def test_a_partly_written_message_file_is_set_aside_and_the_next_message_is_read(folders):
    name = f"partial-{uuid.uuid4().hex}"  # kombu remembers bindings per process
    partial = _partial_message(folders, name)
    with _connection(folders) as producer_side, _connection(folders) as consumer_side:
        producer_side.SimpleQueue(name).put({"task": "campaigns.publish_variant", "n": 1})
        queue = consumer_side.SimpleQueue(name)
        message = queue.get(timeout=2)
        assert message.payload == {"task": "campaigns.publish_variant", "n": 1}
        message.ack()
        queue.close()
    assert not partial.exists()
    unreadable = folders["queue"].parent / "unreadable" / partial.name
    assert unreadable.read_bytes().startswith(b'{"body": "eyJ0')  # kept for a person to look at
    assert list(folders["processed"].iterdir()) == []  # the good one is deleted once read


def test_no_reader_ever_sees_a_partial_message_while_messages_are_written(folders):
    """A reader looking at the folder the whole time only ever finds whole messages."""
    payload = {"body": "x" * 2_000_000, "headers": {}}
    bad_reads: list[str] = []
    whole_reads = 0
    done = threading.Event()

    def watch() -> None:
        nonlocal whole_reads
        while not done.is_set():
            for name in os.listdir(folders["queue"]):
                if not name.endswith(".msg"):
                    continue
                try:
                    data = (folders["queue"] / name).read_bytes()
                except FileNotFoundError:
                    continue
                try:
                    json.loads(data)
                    whole_reads += 1
                except ValueError:
                    bad_reads.append(f"{name}: {len(data)} bytes")

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with _connection(folders) as conn:
            channel = conn.default_channel
            for _ in range(15):
                channel._put("celery", payload)
    finally:
        done.set()
        watcher.join()
    assert bad_reads == []
    assert whole_reads > 0
    assert len([n for n in os.listdir(folders["queue"]) if n.endswith(".msg")]) == 15
    assert not [n for n in os.listdir(folders["queue"]) if n.startswith(".tmp-")]


def test_each_message_is_delivered_to_one_of_two_consumers_once(folders):
    # A queue name of its own: kombu remembers bindings per process, across connections.
    name = f"two-consumers-{uuid.uuid4().hex}"
    with _connection(folders) as producer_side:
        queue = producer_side.SimpleQueue(name)
        for n in range(40):
            queue.put({"n": n})
        queue.close()
    received: list[int] = []
    lock = threading.Lock()

    def consume() -> None:
        with _connection(folders) as conn:
            queue = conn.SimpleQueue(name)
            while True:
                try:
                    message = queue.get(timeout=0.5)
                except queue.Empty:
                    break
                with lock:
                    received.append(message.payload["n"])
                message.ack()
            queue.close()

    workers = [threading.Thread(target=consume) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(received) == list(range(40))


def test_an_exchange_table_being_created_counts_as_empty(folders):
    (folders["control"] / "celery.pidbox.exchange").write_bytes(b"")  # created, not yet written
    with _connection(folders) as conn:
        assert conn.default_channel.get_table("celery.pidbox") == []
        conn.default_channel._queue_bind("celery.pidbox", "", "", "worker1.pidbox")
        assert [q.queue for q in conn.default_channel.get_table("celery.pidbox")] == [
            "worker1.pidbox"
        ]


def test_the_embedded_default_uses_this_transport(tmp_path):
    import subprocess
    import sys

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_URL", "CELERY_BROKER_URL")
    }
    env.update(VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django; django.setup(); from config.celery import app; "
        "conn = app.connection_for_write(); print(type(conn.transport).__module__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=SETTINGS_BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "config.broker"
