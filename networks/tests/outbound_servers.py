"""What the outbound-guard tests share: a resolver we control, and servers on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager

from networks.addresses import OutboundPolicy

PUBLIC = "93.184.215.14"  # a public address; nothing connects to it in these tests


def resolver(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


STRICT = OutboundPolicy(resolver=resolver({}))
SELF_HOSTED = OutboundPolicy(allow_private=True, resolver=resolver({}))


@contextmanager
def tcp_server(handle):
    """A TCP server on 127.0.0.1 running ``handle(connection)`` for each client."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=_run, args=(handle, conn), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


def _run(handle, conn):
    try:
        conn.recv(65536)
        handle(conn)
    except OSError:
        pass
    finally:
        conn.close()


def answer(body: bytes = b"<rss/>", headers: str = ""):
    def handle(conn):
        conn.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{headers}"
            "Connection: close\r\n\r\n".encode()
            + body
        )

    return handle


# --- Every spelling of an internal address is refused ---------------------------------------
