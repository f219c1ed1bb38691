"""Signed, expiring session tokens issued to a channel account (HS256 with MINQING_SESSION_KEY)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.clock import epoch_seconds
from shared.errors import Unauthorized

_ISSUER = "minqing"
CLOCK_SKEW = 60  # seconds one Lambda's clock may run ahead of another's


@dataclass(frozen=True)
class Principal:
    """Who a token was issued to: one channel account."""

    channel: str
    account: str
    unionid: str | None = None

    @property
    def key(self) -> str:
        """``channel#account``, the account's storage key."""
        return f"{self.channel}#{self.account}"


class SessionTokens:
    """Issues and verifies session tokens."""

    def __init__(self, key: str, ttl_seconds: int = 7200):
        if len(key.encode("utf-8")) < 32:
            raise ValueError("MINQING_SESSION_KEY must be at least 32 bytes (RFC 7518 §3.2)")
        self._key = key
        self.ttl = ttl_seconds

    def issue(self, principal: Principal, now: int) -> str:
        """A token for ``principal`` valid for ``ttl`` seconds from ``now`` (epoch seconds)."""
        import jwt  # deferred: pulls in cryptography, not needed at cold import

        claims = {"iss": _ISSUER, "sub": principal.account, "ch": principal.channel,
                  "iat": now, "exp": now + self.ttl}
        if principal.unionid:
            claims["uid"] = principal.unionid
        return jwt.encode(claims, self._key, algorithm="HS256")

    def verify(self, token: str, now: int) -> Principal:
        """The principal of a valid token; Unauthorized if forged, expired or malformed."""
        import jwt

        try:
            claims = jwt.decode(token, self._key, algorithms=["HS256"], issuer=_ISSUER,
                                options={"require": ["exp", "iat", "sub", "ch"], "verify_exp": False,
                                         "verify_iat": False})
        except jwt.PyJWTError:
            raise Unauthorized("invalid session token") from None
        expires, issued = epoch_seconds(claims["exp"]), epoch_seconds(claims["iat"])
        if expires is None or issued is None:
            raise Unauthorized("invalid session token")
        if expires <= now:
            raise Unauthorized("session token expired")
        if issued > now + CLOCK_SKEW:
            raise Unauthorized("session token issued in the future")
        return Principal(channel=str(claims["ch"]), account=str(claims["sub"]), unionid=claims.get("uid"))
