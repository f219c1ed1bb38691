"""A small JSON-over-HTTP client for channel adapters (stdlib only, explicit timeouts)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from shared.errors import Unavailable


class HttpStatusError(Exception):
    """The peer answered with an HTTP error status."""

    def __init__(self, status: int, body: bytes):
        super().__init__(f"HTTP {status}")
        self.status, self.body = status, body


def request_json(method: str, url: str, *, query: dict[str, str] | None = None, body: Any = None,
                 timeout: float = 5.0) -> Any:
    """Send JSON (if ``body``), return the parsed JSON answer.

    Raises ``HttpStatusError`` for HTTP error statuses and ``Unavailable`` when the peer
    cannot be reached or answers something that is not JSON.
    """
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url[:40]}")
    if query:
        url = f"{url}?{urllib.parse.urlencode(query)}"
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method=method,  # noqa: S310 (scheme checked above)
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        raise HttpStatusError(exc.code, exc.read()) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise Unavailable(f"{urllib.parse.urlsplit(url).netloc} unreachable") from exc
    try:
        return json.loads(raw)
    except ValueError:
        raise Unavailable("peer answered something that is not JSON") from None
