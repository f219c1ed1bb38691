"""WeChat logins: mini-program ``wx.login`` codes (``jscode2session``) and official-account web
OAuth codes (``sns/oauth2/access_token``), each exchanged once for the user's openid/unionid.

The ``session_key`` and the OAuth access token WeChat returns never leave this module.
https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
"""

from __future__ import annotations

import logging

from shared.errors import Forbidden, RateLimited, Unauthorized, Unavailable
from shared.http_client import HttpStatusError, request_json
from shared.ports import ChannelIdentity

log = logging.getLogger(__name__)

CODE_INVALID = {40029, 40163, 40226}
RATE_LIMITED = 45011


class _CodeExchange:
    path = ""
    code_param = "code"

    def __init__(self, api_base: str, appid: str, secret: str, timeout: float = 5.0):
        self.url = api_base.rstrip("/") + self.path
        self.appid, self.secret, self.timeout = appid, secret, timeout

    def exchange(self, code: str) -> ChannelIdentity:
        """The identity of a fresh code; Unauthorized for a used, expired or forged one."""
        try:
            data = request_json("GET", self.url, timeout=self.timeout, query={
                "appid": self.appid, "secret": self.secret, self.code_param: code,
                "grant_type": "authorization_code"})
        except HttpStatusError as exc:
            raise Unavailable(f"WeChat login answered HTTP {exc.status}") from None
        errcode = int(data.get("errcode") or 0)
        if errcode in CODE_INVALID:
            raise Unauthorized("login code is invalid or already used")
        if errcode == RATE_LIMITED:
            raise RateLimited(60, "too many logins, try again in a minute")
        if errcode or not data.get("openid"):
            log.warning("WeChat login failed", extra={"errcode": errcode, "errmsg": data.get("errmsg")})
            raise Unavailable("WeChat login is unavailable, try again")
        if int(data.get("is_snapshotuser") or 0) == 1:  # the snapshot page's virtual account: never bind it
            raise Forbidden("opened from WeChat's snapshot page: tap 使用完整服务 (use the full service) to sign in")
        return ChannelIdentity(account=str(data["openid"]), unionid=data.get("unionid"))


class Code2Session(_CodeExchange):
    """Mini-program login code → openid (and unionid when the app is under an open platform)."""

    path, code_param = "/sns/jscode2session", "js_code"


class OaWebOAuth(_CodeExchange):
    """Official-account web OAuth code (the H5 binding page) → openid."""

    path, code_param = "/sns/oauth2/access_token", "code"


def oauth_authorize_url(open_base: str, appid: str, h5_base: str, state: str) -> str:
    """WeChat's authorize page for ``snsapi_base`` (silent: the follower's openid), coming back to
    ``<h5_base>login`` with ``state`` (letters and digits, at most 128 bytes).
    https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html"""
    from urllib.parse import quote

    back = quote(h5_base + "login", safe="")
    return (f"{open_base}/connect/oauth2/authorize?appid={appid}&redirect_uri={back}&response_type=code"
            f"&scope=snsapi_base&state={state}#wechat_redirect")
