"""The H5 portal's browser session: the citizen's session token in an HttpOnly cookie, a CSRF token
derived from it, and form state sealed into a cookie (the bind form's ID number never comes back in a page).

The token is the one ``Authorization: Bearer`` carries (same key, same expiry); forms prove they came from
a page of this session with an HMAC of it (OWASP CSRF cheat sheet, "HMAC based token",
https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

from shared.clock import Clock
from shared.errors import Forbidden

PENDING_SECONDS = 600  # a bind started must be finished within ten minutes (the code lives five)


class PortalSessions:
    """CSRF tokens and sealed form state for the H5 portal."""

    def __init__(self, session_key: str, clock: Clock):
        self._csrf_key = hmac.new(session_key.encode(), b"h5:csrf", hashlib.sha256).digest()
        self._seal_key = hmac.new(session_key.encode(), b"h5:seal", hashlib.sha256).digest()
        self.clock = clock

    def csrf(self, session: str) -> str:
        """The token every form of this session (or pre-session) carries."""
        return hmac.new(self._csrf_key, session.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, session: str | None, token: Any) -> None:
        """403 unless ``token`` is this session's."""
        if not session or not isinstance(token, str) or not hmac.compare_digest(self.csrf(session), token):
            raise Forbidden("the form has expired or did not come from this site: reload the page")

    def seal(self, session: str, data: dict[str, str]) -> str:
        """``data`` encrypted and bound to the session, valid for ``PENDING_SECONDS``."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        body = json.dumps({**data, "_until": int(self.clock.now().timestamp()) + PENDING_SECONDS}).encode()
        nonce = secrets.token_bytes(12)
        raw = nonce + AESGCM(self._seal_key).encrypt(nonce, body, _bound(session))
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def unseal(self, session: str, sealed: str | None) -> dict[str, str] | None:
        """What ``seal`` sealed for this session, or None when absent, expired, forged or another session's."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not sealed or len(sealed) > 2048:
            return None
        try:
            raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
            data = json.loads(AESGCM(self._seal_key).decrypt(raw[:12], raw[12:], _bound(session)))
        except (ValueError, InvalidTag):
            return None
        if not isinstance(data, dict) or int(data.pop("_until", 0)) < self.clock.now().timestamp():
            return None
        return {str(k): str(v) for k, v in data.items()}


def _bound(session: str) -> bytes:
    return hashlib.sha256(session.encode()).digest()
