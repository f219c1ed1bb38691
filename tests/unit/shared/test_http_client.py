"""The one outbound HTTP client: connections are reused, and every way a peer can misbehave on the
wire is one ``Unavailable`` (never a crash), an HTTP error status one ``HttpStatusError``."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from shared.errors import Unavailable
from shared.http_client import HttpStatusError, request_json

GOOD = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'
ANSWERS = {
    "good": GOOD,
    "bad_status_line": b"HTTP/1.1 2OO OK\r\n\r\n",
    "incomplete_read": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"ok\":",
    "not_json": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    "error_status": b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy",
    "slow": b"",
    "hang_up": b"",
}


class RawPeer:
    """A TCP server that answers each request with the bytes of one misbehaviour, keeping connections open."""

    def __init__(self, answer: bytes, close: bool = False, silent: bool = False):
        self.answer, self.close, self.silent = answer, close, silent
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/x"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn:
            while True:
                try:
                    if not conn.recv(65536):
                        return
                except OSError:
                    return
                if self.silent:
                    threading.Event().wait(3)
                    return
                if self.close:
                    return
                conn.sendall(self.answer)
                if self.answer != GOOD:
                    return


@pytest.fixture
def peer(request: pytest.FixtureRequest) -> Iterator[RawPeer]:
    kind = request.param
    p = RawPeer(ANSWERS[kind], close=kind == "hang_up", silent=kind == "slow")
    yield p
    p.sock.close()


@pytest.mark.parametrize("peer", ["good"], indirect=True)
def test_connections_are_reused_between_requests(peer: RawPeer) -> None:
    for _ in range(3):
        assert request_json("GET", peer.url) == {"ok": True}
    assert peer.connections == 1


@pytest.mark.parametrize("peer", ["bad_status_line", "incomplete_read", "not_json", "slow", "hang_up"],
                         indirect=True)
def test_every_transport_failure_is_unavailable(peer: RawPeer) -> None:
    with pytest.raises(Unavailable):
        request_json("GET", peer.url, timeout=0.5)


@pytest.mark.parametrize("peer", ["error_status"], indirect=True)
def test_an_http_error_status_carries_status_and_body(peer: RawPeer) -> None:
    with pytest.raises(HttpStatusError) as exc:
        request_json("GET", peer.url)
    assert (exc.value.status, exc.value.body) == (503, b"busy")


def test_a_refused_connection_is_unavailable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(Unavailable):
        request_json("GET", f"http://127.0.0.1:{port}/", timeout=0.5)
