"""The webhook transport's kept-alive connections, against a real HTTP/1.1 server on loopback:
one connection carries many POSTs, and a connection the receiver closed while idle is
replaced without a failed attempt."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.services.integration import webhook_transport as transport


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections.append(self.connection)

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.posts += 1
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.lock, httpd.connections, httpd.posts = threading.Lock(), [], 0
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _in_thread(work):
    """Run ``work`` in a fresh thread that keeps its connections alive; return its result."""
    held, out = [], {}

    def run():
        transport.keep_alive(held)
        try:
            out["result"] = work()
        finally:
            transport.close_kept(held)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return out["result"]


def test_one_kept_alive_connection_carries_many_posts(server):
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    statuses = _in_thread(lambda: [transport.post(url, {}, b"{}").status for _ in range(5)])
    assert statuses == [204] * 5
    assert server.posts == 5 and len(server.connections) == 1


def test_a_connection_closed_by_the_receiver_is_replaced(server):
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"

    def work():
        first = transport.post(url, {}, b"{}")
        with server.lock:
            server.connections[0].shutdown(2)  # the receiver drops the idle connection
        return first, transport.post(url, {}, b"{}")

    first, second = _in_thread(work)
    assert (first.status, second.status, second.error) == (204, 204, None)
    assert server.posts == 2 and len(server.connections) == 2


def test_without_keep_alive_each_post_has_its_own_connection(server):
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    assert [transport.post(url, {}, b"{}").status for _ in range(3)] == [204] * 3
    assert len(server.connections) == 3
