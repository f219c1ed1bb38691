"""One access-token store for every Lambda instance: read-through cache in DynamoDB, refreshed
ahead of expiry under a conditional-write lock so concurrent cold instances fetch once.

Prefers ``stable_token`` (it does not invalidate other holders); after a 40001/40014/42001
the caller asks ``refresh(stale)``: one instance asks in normal mode first — which returns the
token another system sharing the appid may have renewed — and forces a refresh (which logs every
other holder out, 20 a day) only when WeChat hands back the very token it refused.
https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/getStableAccessToken.html
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Callable

from shared.clock import Clock
from shared.errors import Unavailable
from shared.storage.dynamo import ConditionFailed, Table

log = logging.getLogger(__name__)

Fetch = Callable[[bool], tuple[str, int]]  # force_refresh → (token, expires_in)


class AccessTokenStore:
    """Access tokens of one appid."""

    def __init__(self, table: Table, appid: str, fetch: Fetch, clock: Clock, *, refresh_ahead: int = 300,
                 lock_seconds: int = 10, sleep: Callable[[float], None] = time.sleep):
        self.table, self.appid, self.fetch, self.clock = table, appid, fetch, clock
        self.refresh_ahead, self.lock_seconds, self.sleep = refresh_ahead, lock_seconds, sleep
        self.key = (f"WXTOKEN#{appid}", "TOKEN")
        self._memo: tuple[str, int] | None = None  # this instance's copy: no read per call while it lasts

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    def get(self) -> str:
        """A token valid for at least ``refresh_ahead`` seconds more (fetching once if needed)."""
        if self._memo and self._memo[1] - self._now() > self.refresh_ahead:
            return self._memo[0]
        item = self.table.get(*self.key)
        if item and item.get("token") and int(item["expires_at"]) - self._now() > self.refresh_ahead:
            return self._remember(str(item["token"]), int(item["expires_at"]))
        return self._refresh(item, force=False, stale=None)

    def _remember(self, token: str, expires_at: int) -> str:
        self._memo = (token, expires_at)
        return token

    def refresh(self, stale: str) -> str:
        """WeChat refused ``stale``: replace it once, whoever noticed first."""
        self._memo = None
        item = self.table.get(*self.key)
        if item and item.get("token") and item["token"] != stale and int(item["expires_at"]) > self._now():
            return str(item["token"])
        return self._refresh(None, force=True, stale=stale)

    def _refresh(self, current: dict[str, object] | None, force: bool, stale: str | None) -> str:
        me, now = uuid.uuid4().hex, self._now()
        try:
            locked = self.table.update(*self.key, "SET lock_owner = :me, lock_until = :until",
                                       values={":me": me, ":until": now + self.lock_seconds, ":now": now},
                                       condition="attribute_not_exists(lock_until) OR lock_until < :now")
        except ConditionFailed:
            return self._wait(current)
        fresh = locked.get("token")
        if fresh and fresh != stale and int(locked["expires_at"]) - now > (0 if force else self.refresh_ahead):
            self._unlock(me)  # someone refreshed between our read and our lock
            return str(fresh)
        try:
            token, expires_in = self.fetch(False)
            if force and token == stale:
                token, expires_in = self.fetch(True)
        except Exception:
            self._unlock(me)
            raise
        expires_at = self._now() + int(expires_in)
        self.table.put({"pk": self.key[0], "sk": self.key[1], "token": token, "expires_at": expires_at,
                        "fetched_at": self._now()})
        log.info("wechat access token refreshed", extra={"appid": self.appid, "forced": force})
        return self._remember(token, expires_at)

    def _unlock(self, me: str) -> None:
        with contextlib.suppress(ConditionFailed):
            self.table.update(*self.key, "REMOVE lock_owner, lock_until", values={":me": me},
                              condition="lock_owner = :me")

    def _wait(self, current: dict[str, object] | None) -> str:
        """Another instance holds the lock: use the current token while it lasts, else wait for the new one."""
        if current and current.get("token") and int(current["expires_at"]) > self._now() + 5:  # type: ignore[call-overload]
            return str(current["token"])
        old = current.get("token") if current else None
        waited = 0.0
        while waited < self.lock_seconds:
            self.sleep(0.05)
            waited += 0.05
            item = self.table.get(*self.key)
            if item and item.get("token") and item["token"] != old and int(item["expires_at"]) > self._now():
                return str(item["token"])
        raise Unavailable("WeChat access token is being refreshed, try again")
