"""Backend API request signing: HMAC-SHA256 over timestamp, nonce, method, path and body,
with a 300 s clock window and nonces remembered for 10 minutes (docs/contract.md, Backend API)."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from shared.clock import Clock, epoch_seconds
from shared.contract.keys import DEFAULT_KEY, BackendCaller
from shared.errors import Forbidden, Unauthorized
from shared.services.backend_keys import BackendKeyService
from shared.storage.ports import UnitOfWorkFactory

WINDOW = 300
NONCE_TTL = 600
_NONCE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def sign(key: str, timestamp: str, nonce: str, method: str, path_and_query: str, body: bytes) -> str:
    """Lower-case hex HMAC-SHA256 of the canonical string."""
    message = f"{timestamp}\n{nonce}\n{method.upper()}\n{path_and_query}\n".encode() + body
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


class BackendVerifier:
    """Checks a signed backend request once (a replayed nonce is refused) and who signed it may call the route."""

    def __init__(self, uow: UnitOfWorkFactory, key: str, clock: Clock, keys: BackendKeyService):
        self.uow, self.key, self.clock, self.keys = uow, key, clock, keys

    def verify(self, timestamp: str | None, nonce: str | None, signature: str | None, method: str,
               candidates: Iterable[str], body: bytes, *, key_id: str | None = None, scope: str | None = None,
               source: str = "") -> BackendCaller:
        """The caller, when the signature matches one rendering of the path and query as sent with the key
        ``key_id`` names (the default key without one): 401 otherwise, 403 when the key lacks ``scope``."""
        if not timestamp or not nonce or not signature:
            raise Unauthorized("X-Minqing-Timestamp, X-Minqing-Nonce and X-Minqing-Signature are required")
        sent = epoch_seconds(timestamp)
        if sent is None or not _NONCE.match(nonce):
            raise Unauthorized("malformed timestamp or nonce")
        now = int(self.clock.now().timestamp())
        if abs(now - sent) > WINDOW:
            raise Unauthorized("request timestamp outside the 300 s window")
        caller, secret = self.keys.caller(key_id, source)
        given = signature.strip().lower()
        if not any(hmac.compare_digest(sign(secret or self.key, timestamp, nonce, method, c, body), given)
                   for c in dict.fromkeys(candidates)):
            raise Unauthorized("bad signature")
        if not self.uow().nonces.remember(nonce, now, NONCE_TTL):
            raise Unauthorized("nonce already used")
        if caller.key_id != DEFAULT_KEY and (scope is None or not caller.allows(scope)):  # no scope: no scoped key
            raise Forbidden(f"key {caller.key_id} does not hold the scope {scope or 'this route needs'}")
        return caller
