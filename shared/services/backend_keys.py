"""密钥授权: the county administrator issues, rotates and revokes scoped backend keys (docs/contract.md).

A key's secret is never stored: it is ``HMAC-SHA256(root, key id)``, derived again when a request is checked, so
the table alone gives nothing away. The root is ``MINQING_BACKEND_KEY_ROOT`` or, unset, derived from
``MINQING_BACKEND_HMAC_KEY`` (then changing that key changes every scoped key's secret too).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

from shared.clock import Clock
from shared.contract.keys import BackendCaller, BackendKey
from shared.contract.staff import StaffAccount, StaffRole
from shared.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from shared.services.audit import audit_entry
from shared.storage.ports import UnitOfWorkFactory, WriteConflict


def key_root(root: str, default_key: str) -> bytes:
    """The secret every scoped key is derived from."""
    if root:
        return root.encode("utf-8")
    return hmac.new(default_key.encode("utf-8"), b"minqing backend key root", hashlib.sha256).digest()


class BackendKeyService:
    """Scoped keys: issued with their secret shown once, rotated with two active, revoked for good."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, root: bytes):
        self.uow, self.clock, self._root = uow, clock, root

    def secret_of(self, key_id: str) -> str:
        """The key's signing secret (what the issuing page shows once)."""
        digest = hmac.new(self._root, f"minqing backend key v1\n{key_id}".encode(), hashlib.sha256).digest()
        return "mks_" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def caller(self, key_id: str | None, source: str = "") -> tuple[BackendCaller, str | None]:
        """Who a request names and the secret it must be signed with (None: the default key); 401 for an unknown
        or revoked key."""
        if not key_id:
            return BackendCaller.of(None, source), None
        key = self._get(key_id)
        if key is None or not key.active:
            raise Unauthorized("unknown or revoked key")
        return BackendCaller.of(key, source), self.secret_of(key.key_id)

    def issue(self, by: StaffAccount, fields: dict[str, Any], source: str,
              once: str | None = None) -> tuple[BackendKey, str]:
        """A new key and its secret (shown once); ``once``, the issuing form's own nonce, makes a form sent twice (a
        reload) a 409 instead of a second key."""

        self._admin(by)
        if once is not None and not (0 < len(once) <= 64 and self.uow().nonces.remember(
                f"form:{once}", int(self.clock.now().timestamp()), 86400)):
            raise Conflict("this form was already sent, and its key issued: find it in the list (rotate it if its "
                           "secret was not kept)")
        key = ValidationFailed.check(BackendKey, {**fields, "key_id": _new_id(), "created_at": self.clock.now(),
                                                  "created_by": by.username}, "key", "the key was not issued")
        uow = self.uow()
        uow.backend_keys.add(key)
        uow.audit.stage(audit_entry(by.username, source, "key.issue", key.key_id, None, key, key.created_at))
        uow.commit()
        return key, self.secret_of(key.key_id)

    def rotate(self, by: StaffAccount, key_id: str, source: str) -> tuple[BackendKey, str]:
        """A successor with the same scopes; both stay active until the old one is revoked (409 when revoked or
        already rotated)."""
        self._admin(by)
        old = self._active(key_id, rotating=True)
        now = self.clock.now()
        new = old.model_copy(update={"key_id": _new_id(), "created_at": now, "created_by": by.username,
                                     "replaces": old.key_id, "replaced_by": None})
        old_after = old.model_copy(update={"replaced_by": new.key_id})
        uow = self.uow()
        uow.backend_keys.add(new)
        uow.backend_keys.replace(old, old_after)
        uow.audit.stage(audit_entry(by.username, source, "key.rotate", old.key_id, old, old_after, now))
        self._commit(uow, key_id)
        return new, self.secret_of(new.key_id)

    def revoke(self, by: StaffAccount, key_id: str, source: str) -> BackendKey:
        """Refused from now on (409 when already revoked)."""
        self._admin(by)
        old = self._active(key_id)
        now = self.clock.now()
        after = old.model_copy(update={"revoked_at": now, "revoked_by": by.username})
        uow = self.uow()
        uow.backend_keys.replace(old, after)
        uow.audit.stage(audit_entry(by.username, source, "key.revoke", key_id, old, after, now))
        self._commit(uow, key_id)
        return after

    def listed(self, by: StaffAccount, limit: int = 50,
               before: str | None = None) -> tuple[list[BackendKey], str | None]:
        """Newest first, a page at a time."""
        self._admin(by)
        return self.uow().backend_keys.listed(limit, before)

    def _active(self, key_id: str, rotating: bool = False) -> BackendKey:
        key = self._get(key_id)
        if key is None:
            raise NotFound(f"no key {key_id[:40]}")
        if not key.active:
            raise Conflict(f"key {key_id} is already revoked")
        if rotating and key.replaced_by:
            raise Conflict(f"key {key_id} is already rotated to {key.replaced_by}: revoke it when its successor "
                           "is in use")
        return key

    def _get(self, key_id: str) -> BackendKey | None:
        """The key; None for an id longer than any Minqing issues (no read)."""
        return self.uow().backend_keys.get(key_id) if len(key_id) <= 40 else None

    @staticmethod
    def _commit(uow: Any, key_id: str) -> None:
        try:
            uow.commit()
        except WriteConflict:
            raise Conflict(f"key {key_id} changed meanwhile: reload the page") from None

    @staticmethod
    def _admin(by: StaffAccount) -> None:
        if by.role != StaffRole.COUNTY_ADMIN:
            raise Forbidden("only a county administrator manages backend keys")


def _new_id() -> str:
    return "mk_" + secrets.token_hex(8)
