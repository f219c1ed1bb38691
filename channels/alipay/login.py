"""Alipay login: ``alipay.system.oauth.token`` turns an auth code into the user's ``open_id`` and/or ``user_id``.

https://opendocs.alipay.com/open/02ailc (换取授权访问令牌)
"""

from __future__ import annotations

import logging

from channels.alipay.gateway import AlipayError, AlipayGateway, AlipaySignatureError
from shared.errors import Unauthorized, Unavailable
from shared.ports import ChannelIdentity

log = logging.getLogger(__name__)

CODE_INVALID = {"isv.code-invalid", "isv.code-expired", "isv.code-used", "isv.invalid-auth-code"}


class AlipayOAuth:
    """``alipay.system.oauth.token`` as a login exchange: the account is the open_id, or the user_id
    for apps not yet moved; with both, the user_id is the account's previous key."""

    def __init__(self, gateway: AlipayGateway):
        self.gateway = gateway

    def exchange(self, code: str) -> ChannelIdentity:
        """Exchange an auth code; Unauthorized when it is invalid, expired or used."""
        try:
            out = self.gateway.call("alipay.system.oauth.token", None, grant_type="authorization_code", code=code)
        except AlipayError as exc:
            log.warning("alipay oauth refused", extra={"code": exc.code, "sub_code": exc.sub_code})
            if exc.sub_code in CODE_INVALID:
                raise Unauthorized("auth code is invalid, expired or already used") from None
            raise Unavailable("Alipay login is unavailable, try again") from None
        except AlipaySignatureError:
            log.error("alipay oauth answer failed signature verification")
            raise Unavailable("Alipay login is unavailable, try again") from None
        user_id, open_id = out.get("user_id"), out.get("open_id")
        if not (open_id or user_id):
            raise Unavailable("Alipay returned no user id")
        ids = {k: v for k, v in (("user_id", user_id), ("open_id", open_id)) if v}
        return ChannelIdentity(account=open_id or user_id, previous_account=user_id if open_id and user_id else None,
                               ids=ids)
