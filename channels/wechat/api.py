"""WeChat's server API at ``MINQING_WECHAT_API_BASE``: access tokens injected, one refresh and one
retry on an invalid token (40001/40014/42001), never a loop that burns the quota (45009).

Official-account APIs answer only whitelisted server IPs (40164): that is a deployment fault, not
a passing one, so it raises ``IpNotWhitelisted``, is logged as an error and counted in the
``WeChatIpNotWhitelisted`` metric the stack alarms on (docs: README, "fixed egress IP").
https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
"""

from __future__ import annotations

import logging
from typing import Any

from channels.wechat.access_tokens import AccessTokenStore
from shared import metrics
from shared.http_client import HttpStatusError, request_json

log = logging.getLogger(__name__)
TOKEN_INVALID = {40001, 40014, 42001}
IP_NOT_WHITELISTED = 40164


class IpNotWhitelisted(Exception):
    """WeChat refused the caller's IP (40164): add the egress IP to the account's whitelist."""

    def __init__(self, appid: str, errmsg: str):
        super().__init__(f"errcode 40164: this server's IP is not on {appid}'s API IP whitelist ({errmsg[:80]})")


def _refuse_ip(appid: str, data: dict[str, Any]) -> None:
    if int(data.get("errcode") or 0) == IP_NOT_WHITELISTED:
        log.error("WeChat refused our IP: put the egress IP on the account's whitelist",
                  extra={"appid": appid, "errmsg": str(data.get("errmsg", ""))[:120]})
        metrics.count("WeChatIpNotWhitelisted")
        raise IpNotWhitelisted(appid, str(data.get("errmsg", "")))


class WeChatApi:
    """Calls the API as one appid."""

    def __init__(self, base: str, tokens: AccessTokenStore, timeout: float = 5.0):
        self.base, self.tokens, self.timeout = base.rstrip("/"), tokens, timeout

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST with the current token; returns WeChat's JSON (``errcode`` 0 or absent on success).

        Raises ``HttpStatusError`` on HTTP errors and ``Unavailable`` when WeChat is unreachable.
        """
        token = self.tokens.get()
        data = self._post(path, body, token)
        if int(data.get("errcode") or 0) in TOKEN_INVALID:
            data = self._post(path, body, self.tokens.refresh(token))
        _refuse_ip(self.tokens.appid, data)
        return data

    def _post(self, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
        out = request_json("POST", self.base + path, query={"access_token": token}, body=body, timeout=self.timeout)
        if not isinstance(out, dict):
            raise HttpStatusError(502, b"not an object")
        return out


def stable_token_fetcher(base: str, appid: str, secret: str, timeout: float = 5.0) -> Any:
    """A ``Fetch`` for ``AccessTokenStore`` using ``POST /cgi-bin/stable_token``."""
    def fetch(force: bool) -> tuple[str, int]:
        from shared.errors import Unavailable

        data = request_json("POST", base.rstrip("/") + "/cgi-bin/stable_token", timeout=timeout, body={
            "grant_type": "client_credential", "appid": appid, "secret": secret, "force_refresh": force})
        _refuse_ip(appid, data)
        if not data.get("access_token"):
            raise Unavailable(f"stable_token failed: errcode {data.get('errcode')}")
        return str(data["access_token"]), int(data.get("expires_in", 7200))
    return fetch
