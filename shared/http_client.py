"""The one outbound HTTP client of the channel adapters: pooled keep-alive connections (urllib3,
which botocore already loads), explicit connect/read timeouts, no hidden retries (the delivery
pipeline owns retries), and every transport failure — refused, reset, TLS, a bad status line, an
incomplete read, a timeout — one ``Unavailable``.
https://urllib3.readthedocs.io/en/stable/reference/urllib3.poolmanager.html
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from typing import Any

from shared.errors import Unavailable

CONNECT_TIMEOUT = 3.0
_lock = threading.Lock()
_pool: Any = None


class HttpStatusError(Exception):
    """The peer answered with an HTTP error status."""

    def __init__(self, status: int, body: bytes):
        super().__init__(f"HTTP {status}")
        self.status, self.body = status, body


def pool() -> Any:
    """The process-wide connection pool, built at first use (Lambda instances keep it warm)."""
    global _pool
    if _pool is None:
        with _lock:
            if _pool is None:
                import urllib3

                _pool = urllib3.PoolManager(num_pools=16, maxsize=10, block=False, retries=False)
    return _pool


def request(method: str, url: str, *, query: dict[str, str] | None = None, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 5.0) -> bytes:
    """The raw answer body; ``HttpStatusError`` for an HTTP error status, ``Unavailable`` for any transport
    failure."""
    import urllib3

    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url[:40]}")
    if query:
        url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(query)}"
    host = urllib.parse.urlsplit(url).netloc
    try:
        resp = pool().request(method, url, body=body, headers=headers or {}, redirect=False,
                              timeout=urllib3.Timeout(connect=min(CONNECT_TIMEOUT, timeout), read=timeout))
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise Unavailable(f"{host} unreachable ({type(exc).__name__})") from exc
    if resp.status >= 400:
        raise HttpStatusError(resp.status, resp.data)
    return bytes(resp.data)


def request_json(method: str, url: str, *, query: dict[str, str] | None = None, body: Any = None,
                 timeout: float = 5.0) -> Any:
    """Send JSON (if ``body``), return the parsed JSON answer (``Unavailable`` when it is not JSON)."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    raw = request(method, url, query=query, body=data, timeout=timeout,
                  headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        return json.loads(raw)
    except ValueError:
        raise Unavailable("peer answered something that is not JSON") from None
