"""``alipay.system.oauth.token``: an auth code for the user's ``open_id`` and/or ``user_id``.

https://opendocs.alipay.com/open/02ailc (换取授权访问令牌)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from channels.alipay.gateway import AlipayError, AlipayGateway, AlipaySignatureError
from shared.errors import Unauthorized, Unavailable

log = logging.getLogger(__name__)

CODE_INVALID = {"isv.code-invalid", "isv.code-expired", "isv.code-used", "isv.invalid-auth-code"}


@dataclass(frozen=True)
class AlipayIdentity:
    """Alipay's ids for a user: ``open_id`` (per app, the future) and/or ``user_id`` (2088…)."""

    user_id: str | None
    open_id: str | None

    @property
    def account(self) -> str:
        """The key Minqing keeps the account under: open_id when Alipay gives one."""
        return self.open_id or self.user_id or ""


def oauth_token(gateway: AlipayGateway, auth_code: str) -> AlipayIdentity:
    """Exchange an auth code; Unauthorized when it is invalid, expired or used."""
    try:
        out = gateway.call("alipay.system.oauth.token", None, grant_type="authorization_code", code=auth_code)
    except AlipayError as exc:
        log.warning("alipay oauth refused", extra={"code": exc.code, "sub_code": exc.sub_code})
        if exc.sub_code in CODE_INVALID:
            raise Unauthorized("auth code is invalid, expired or already used") from None
        raise Unavailable("Alipay login is unavailable, try again") from None
    except AlipaySignatureError:
        log.error("alipay oauth answer failed signature verification")
        raise Unavailable("Alipay login is unavailable, try again") from None
    identity = AlipayIdentity(user_id=out.get("user_id"), open_id=out.get("open_id"))
    if not identity.account:
        raise Unavailable("Alipay returned no user id")
    return identity
