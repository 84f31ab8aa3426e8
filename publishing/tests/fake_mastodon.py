"""A fake Mastodon instance on 127.0.0.1, for tests and the benchmark whose worker runs in
another process (respx cannot reach it there).

It answers like Mastodon's documented API: POST /api/v1/statuses honours ``Idempotency-Key``
(a replay returns the first status instead of creating another), GET
/api/v1/accounts/:id/statuses lists the account's statuses newest first, GET
/api/v1/statuses/:id returns one, GET /api/v1/statuses/:id/context lists its replies. It
counts every POST per key and records when it came.

``fail_after_create`` makes the next POSTs fail the way real servers do after they created the
status: ``"502"`` answers Bad Gateway (an HTML page), ``"drop"`` closes the connection without
an answer.
"""

from __future__ import annotations

import datetime as dt
import http.server
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class FakeMastodon:
    delay: float = 0.0  # seconds each POST takes after the status is created
    statuses: dict[str, dict] = field(default_factory=dict)  # id -> status
    by_key: dict[str, str] = field(default_factory=dict)  # idempotency key -> status id
    posts_per_key: dict[str, int] = field(default_factory=dict)
    post_times: list[tuple[float, str]] = field(default_factory=list)  # (time.time(), text)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""
    in_flight: int = 0  # POSTs received and not yet answered
    fail_after_create: list[str] = field(default_factory=list)  # "502" / "drop", one per POST

    def __post_init__(self):
        self._ids = itertools.count(100000)

    @property
    def post_count(self) -> int:
        with self.lock:
            return sum(self.posts_per_key.values())

    def created_per_text(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.lock:
            for status in self.statuses.values():
                counts[status["text"]] = counts.get(status["text"], 0) + 1
        return counts

    def create(self, key: str, account: str, text: str, reply_to=None) -> tuple[dict, bool]:
        with self.lock:
            self.posts_per_key[key] = self.posts_per_key.get(key, 0) + 1
            self.post_times.append((time.time(), text))
            if key and key in self.by_key:
                return self.statuses[self.by_key[key]], False
            status_id = str(next(self._ids))
            status = {
                "id": status_id,
                "created_at": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
                "url": f"{self.url}/@{account}/{status_id}",
                "uri": f"{self.url}/users/{account}/statuses/{status_id}",
                "content": f"<p>{text}</p>",
                "visibility": "public",
                "replies_count": 0,
                "reblogs_count": 0,
                "favourites_count": 0,
                "account": {"id": account},
                "text": text,
                "in_reply_to_id": reply_to,
            }
            self.statuses[status_id] = status
            if key:
                self.by_key[key] = status_id
            return status, True


def _handler(fake: FakeMastodon):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, status: int, body) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _account(self) -> str:
            # Each test account's token is "token-<account id>".
            return self.headers.get("Authorization", "").removeprefix("Bearer token-")

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length) or b"{}")
            if self.path != "/api/v1/statuses":
                return self._send(404, {"error": "Record not found"})
            with fake.lock:
                fake.in_flight += 1
            try:
                status, _created = fake.create(
                    self.headers.get("Idempotency-Key", ""),
                    self._account(),
                    payload["status"],
                    payload.get("in_reply_to_id"),
                )
                if fake.delay:
                    time.sleep(fake.delay)
            finally:
                # Counted down before answering: while it is above zero, no caller has an answer.
                with fake.lock:
                    fake.in_flight -= 1
                    failure = fake.fail_after_create.pop(0) if fake.fail_after_create else ""
            if failure == "drop":  # created, then the connection drops with no answer
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
            if failure == "502":
                data = b"<html><body>502 Bad Gateway</body></html>"
                self.send_response(502)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return None
            self._send(200, status)

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            parts = path.strip("/").split("/")
            if parts[:3] == ["api", "v1", "accounts"] and parts[-1] == "statuses":
                with fake.lock:
                    mine = [s for s in fake.statuses.values() if s["account"]["id"] == parts[3]]
                return self._send(200, list(reversed(mine))[:40])
            if parts[:3] == ["api", "v1", "statuses"] and parts[-1] == "context":
                with fake.lock:
                    replies = [s for s in fake.statuses.values() if s["in_reply_to_id"] == parts[3]]
                return self._send(200, {"ancestors": [], "descendants": replies})
            if parts[:3] == ["api", "v1", "statuses"] and len(parts) == 4:
                with fake.lock:
                    found = fake.statuses.get(parts[3])
                return self._send(200, found) if found else self._send(404, {"error": "?"})
            return self._send(404, {"error": "Record not found"})

    return Handler


def serve() -> tuple[FakeMastodon, http.server.ThreadingHTTPServer]:
    """Start the fake on a free port in a daemon thread; stop it with server.shutdown()."""
    fake = FakeMastodon()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
