"""The local world's WeChat platform rules, written from WeChat's documentation (not Minqing's code).

- Access tokens: ``POST /cgi-bin/stable_token`` in normal mode returns the current token while
  it has more than 5 minutes left (then a new one, the old one valid to its end); with
  ``force_refresh: true`` it invalidates the previous token, at most 20 times a day and not
  twice within 30 s (a repeat within 30 s does not refresh); beyond the daily quota 45009
  (https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken).
- A call with an unknown or invalidated token answers 40001, with an expired one 42001
  (https://developers.weixin.qq.com/doc/oplatform/Return_codes/Return_code_descriptions_new.html).
- Official-account APIs answer only calls from the account's whitelisted IPs: 40164
  ``invalid ip … not in whitelist``; mini-program APIs have no whitelist
  (https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html).
- Subscribe / template message values by class; a violation is 47003
  (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html).
- Web OAuth may answer ``is_snapshotuser: 1`` for the virtual account of the snapshot page (快照页)
  (https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html).
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass, field

FORCE_PER_DAY = 20
FORCE_INTERVAL = 30
RENEW_BEFORE = 300
CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
DATE = r"\d{4}年\d{1,2}月\d{1,2}日(?: \d{1,2}:\d{2})?"
TIME = rf"(?:{DATE}|\d{{1,2}}:\d{{2}})"
VALUE_CLASSES: dict[str, tuple[int, str]] = {  # class → (max characters, full pattern)
    "thing": (20, r"[\s\S]+"),
    "number": (32, r"\d+(?:\.\d+)?"),
    "letter": (32, r"[A-Za-z]+"),
    "symbol": (5, r"[^\w\s]+"),
    "character_string": (32, r"[\x21-\x7e]+"),
    "phrase": (5, rf"[{CJK}]+"),
    "name": (20, rf"[{CJK}]{{1,10}}|[A-Za-z .·-]{{1,20}}"),
    "phone_number": (17, r"[\d+\-() ]+"),
    "car_number": (8, rf"[{CJK}A-Za-z0-9]+"),
    "date": (40, rf"{DATE}(?:~{DATE})?"),
    "time": (40, rf"{TIME}(?:~{TIME})?"),
    "amount": (14, r"[¥$€£]?\d{1,10}(?:\.\d{1,2})?元?"),
}


def value_allowed(key: str, value: str) -> bool:
    """True when ``value`` fits the class named by the key (``thing2`` → ``thing``)."""
    rule = VALUE_CLASSES.get(key.rstrip("0123456789"))
    if rule is None:
        return bool(value)
    limit, pattern = rule
    return 0 < len(value) <= limit and re.fullmatch(pattern, value) is not None


@dataclass
class _Issued:
    appid: str
    expires_at: float


@dataclass
class WeChatPlatform:
    """Tokens, whitelists and quotas of the apps the world serves."""

    ttl: int = 7200
    offset: float = 0.0  # seconds added to the real clock (tests move the platform's time)
    whitelists: dict[str, set[str]] = field(default_factory=dict)  # appid → IPs (OA accounts only)
    fetches: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _issued: dict[str, _Issued] = field(default_factory=dict)
    _current: dict[str, str] = field(default_factory=dict)
    _forced: dict[str, list[float]] = field(default_factory=dict)

    def now(self) -> float:
        """The platform's clock."""
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the platform's clock on."""
        self.offset += seconds

    def ip_refused(self, appid: str, ip: str) -> dict[str, object] | None:
        """40164 when ``appid`` has a whitelist without ``ip``."""
        allowed = self.whitelists.get(appid)
        if allowed is None or ip in allowed:
            return None
        return {"errcode": 40164, "errmsg": f"invalid ip {ip} ipv6 ::ffff:{ip}, not in whitelist rid: local"}

    def _issue(self, appid: str) -> str:
        token = "LOCAL_" + secrets.token_urlsafe(24)
        self._issued[token] = _Issued(appid, self.now() + self.ttl)
        self._current[appid] = token
        self.fetches += 1
        return token

    def _answer(self, token: str) -> dict[str, object]:
        return {"access_token": token, "expires_in": max(0, int(self._issued[token].expires_at - self.now()))}

    def stable_token(self, appid: str, force: bool) -> dict[str, object]:
        """``POST /cgi-bin/stable_token`` as documented (normal and force modes)."""
        with self.lock:
            now, current = self.now(), self._current.get(appid)
            live = current if current in self._issued and self._issued[current].expires_at > now else None
            if not force:
                if live and self._issued[live].expires_at - now > RENEW_BEFORE:
                    return self._answer(live)
                return self._answer(self._issue(appid))
            forced = [t for t in self._forced.get(appid, []) if t > now - 86400]
            if live and forced and now - forced[-1] < FORCE_INTERVAL:
                return self._answer(live)  # a repeat within 30 s does not refresh
            if len(forced) >= FORCE_PER_DAY:
                return {"errcode": 45009, "errmsg": "reach max api daily quota limit"}
            self._forced[appid] = [*forced, now]
            for token in [t for t, issued in self._issued.items() if issued.appid == appid]:
                del self._issued[token]  # force mode invalidates the previous token at once
            return self._answer(self._issue(appid))

    def legacy_token(self, appid: str) -> dict[str, object]:
        """``GET /cgi-bin/token``: always a new token."""
        with self.lock:
            return self._answer(self._issue(appid))

    def check(self, token: str | None) -> tuple[int, str | None]:
        """``(errcode, appid)`` of a call made with ``token``: 0, 40001 (unknown/invalidated) or 42001 (expired)."""
        with self.lock:
            issued = self._issued.get(token or "")
            if issued is None:
                return 40001, None
            if issued.expires_at <= self.now():
                return 42001, issued.appid
            return 0, issued.appid

    def revoke_all(self) -> int:
        """Invalidate every token (as a force refresh elsewhere would)."""
        with self.lock:
            count = len(self._issued)
            self._issued.clear()
            return count

    def forced_today(self, appid: str) -> int:
        """How many force refreshes ``appid`` made in the last 24 h."""
        with self.lock:
            return len([t for t in self._forced.get(appid, []) if t > self.now() - 86400])
