"""A fake Graph API (Facebook Pages) on 127.0.0.1, for tests whose worker runs in another
process (respx cannot reach it there): the worker is pointed at it with META_GRAPH_BASE_URL.

It answers the calls the inbox's outbox makes on a comment the way the Graph API reference
documents them (Comment, "Updating" and "Deleting"): ``POST /{version}/{comment-id}`` with
``is_hidden=true|false`` and ``DELETE /{version}/{comment-id}`` answer ``{"success": true}``;
anything else is Meta's error body (``{"error": {"message", "type", "code", "fbtrace_id"}}``,
code 100, HTTP 400). Every call is counted, with its form fields.
"""

from __future__ import annotations

import http.server
import json
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeGraph:
    url: str = ""
    calls: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # method, id, form
    lock: threading.Lock = field(default_factory=threading.Lock)

    def calls_on(self, object_id: str) -> list[tuple[str, dict[str, str]]]:
        with self.lock:
            return [(method, form) for method, oid, form in self.calls if oid == object_id]


def _handler(fake: FakeGraph):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _unsupported(self, method: str, object_id: str) -> None:
            self._send(
                400,
                {
                    "error": {
                        "message": f"Unsupported {method.lower()} request. Object with ID "
                        f"'{object_id}' does not exist, cannot be loaded due to missing "
                        "permissions, or does not support this operation.",
                        "type": "GraphMethodException",
                        "code": 100,
                        "error_subcode": 33,
                        "fbtrace_id": "AfakeTrace",
                    }
                },
            )

        def _record(self, method: str) -> tuple[str, dict[str, str]]:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            form = {k: v[0] for k, v in parse_qs(raw).items()}
            form |= {k: v[0] for k, v in parse_qs(parts.query).items()}
            segments = parts.path.strip("/").split("/")
            object_id = segments[1] if len(segments) == 2 else "/".join(segments[1:])
            with fake.lock:
                fake.calls.append((method, object_id, form))
            return object_id, form

        def do_POST(self):
            object_id, form = self._record("POST")
            if "/" not in object_id and form.get("is_hidden") in {"true", "false"}:
                return self._send(200, {"success": True})
            return self._unsupported("POST", object_id)

        def do_DELETE(self):
            object_id, _form = self._record("DELETE")
            if "/" not in object_id:
                return self._send(200, {"success": True})
            return self._unsupported("DELETE", object_id)

        def do_GET(self):
            object_id, _form = self._record("GET")
            return self._unsupported("GET", object_id)

    return Handler


def serve() -> tuple[FakeGraph, http.server.ThreadingHTTPServer]:
    """Start the fake on a free port in a daemon thread; stop it with server.shutdown()."""
    fake = FakeGraph()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
