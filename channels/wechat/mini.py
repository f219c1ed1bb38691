"""Mini-program login: ``wx.login`` code → openid/unionid via ``jscode2session``.

The ``session_key`` WeChat returns never leaves this function.
https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from shared.errors import RateLimited, Unauthorized, Unavailable
from shared.http import HttpStatusError, request_json

log = logging.getLogger(__name__)

CODE_INVALID = {40029, 40163, 40226}
RATE_LIMITED = 45011


@dataclass(frozen=True)
class MiniIdentity:
    """Who a login code belongs to."""

    openid: str
    unionid: str | None


class Code2Session:
    """Exchanges a login code for the user's openid (and unionid when bound to an open platform)."""

    def __init__(self, api_base: str, appid: str, secret: str, timeout: float = 5.0):
        self.url = api_base.rstrip("/") + "/sns/jscode2session"
        self.appid, self.secret, self.timeout = appid, secret, timeout

    def exchange(self, code: str) -> MiniIdentity:
        """The identity of a fresh code; Unauthorized for a used/expired/forged one."""
        try:
            data = request_json("GET", self.url, timeout=self.timeout, query={
                "appid": self.appid, "secret": self.secret, "js_code": code, "grant_type": "authorization_code"})
        except HttpStatusError as exc:
            raise Unavailable(f"jscode2session answered HTTP {exc.status}") from None
        errcode = int(data.get("errcode") or 0)
        if errcode in CODE_INVALID:
            raise Unauthorized("login code is invalid or already used")
        if errcode == RATE_LIMITED:
            raise RateLimited(60, "too many logins, try again in a minute")
        if errcode or not data.get("openid"):
            log.warning("jscode2session failed", extra={"errcode": errcode, "errmsg": data.get("errmsg")})
            raise Unavailable("WeChat login is unavailable, try again")
        return MiniIdentity(openid=str(data["openid"]), unionid=data.get("unionid"))
