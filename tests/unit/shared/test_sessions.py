"""Session tokens: issue, verify, expiry, forgery."""

from __future__ import annotations

import jwt
import pytest

from shared.errors import Unauthorized
from shared.sessions import Principal, SessionTokens

KEY = "test-session-key-0123456789abcdef"
# A fixed instant safely in the past: PyJWT also checks "iat" against the wall clock.
NOW = 1_700_000_000


@pytest.fixture
def tokens() -> SessionTokens:
    return SessionTokens(KEY, ttl_seconds=3600)


def test_a_verified_token_names_the_principal_it_was_issued_to(tokens: SessionTokens) -> None:
    principal = Principal(channel="wechat_mini", account="o-openid-1")
    assert tokens.verify(tokens.issue(principal, NOW), NOW + 10) == principal


def test_carries_the_unionid(tokens: SessionTokens) -> None:
    principal = Principal(channel="wechat_oa", account="o-openid-2", unionid="u-union-1")
    verified = tokens.verify(tokens.issue(principal, NOW), NOW)
    assert verified.unionid == "u-union-1"
    assert verified.key == "wechat_oa#o-openid-2"


def test_a_token_without_unionid_verifies_to_none(tokens: SessionTokens) -> None:
    verified = tokens.verify(tokens.issue(Principal(channel="sms", account="+8613800138000"), NOW), NOW)
    assert verified.unionid is None


def test_a_token_is_valid_until_just_before_its_ttl_ends(tokens: SessionTokens) -> None:
    token = tokens.issue(Principal(channel="alipay", account="2088"), NOW)
    assert tokens.verify(token, NOW + 3599).account == "2088"


def test_rejects_an_expired_token(tokens: SessionTokens) -> None:
    token = tokens.issue(Principal(channel="alipay", account="2088"), NOW)
    with pytest.raises(Unauthorized):
        tokens.verify(token, NOW + 3600)


def test_rejects_a_token_forged_with_another_key(tokens: SessionTokens) -> None:
    forged = SessionTokens("another-session-key-0123456789abcdef").issue(Principal(channel="sms", account="x"), NOW)
    with pytest.raises(Unauthorized):
        tokens.verify(forged, NOW)


def test_rejects_an_unsigned_token(tokens: SessionTokens) -> None:
    claims = {"iss": "minqing", "sub": "x", "ch": "sms", "iat": NOW, "exp": NOW + 60}
    with pytest.raises(Unauthorized):
        tokens.verify(jwt.encode(claims, None, algorithm="none"), NOW)


def test_rejects_a_token_from_another_issuer(tokens: SessionTokens) -> None:
    claims = {"iss": "someone-else", "sub": "x", "ch": "sms", "iat": NOW, "exp": NOW + 60}
    with pytest.raises(Unauthorized):
        tokens.verify(jwt.encode(claims, KEY, algorithm="HS256"), NOW)


def test_rejects_a_token_without_a_channel(tokens: SessionTokens) -> None:
    claims = {"iss": "minqing", "sub": "x", "iat": NOW, "exp": NOW + 60}
    with pytest.raises(Unauthorized):
        tokens.verify(jwt.encode(claims, KEY, algorithm="HS256"), NOW)


@pytest.mark.parametrize("garbage", ["", "not-a-token", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.xxxx"])
def test_rejects_garbage(tokens: SessionTokens, garbage: str) -> None:
    with pytest.raises(Unauthorized):
        tokens.verify(garbage, NOW)


def test_refuses_a_key_shorter_than_32_bytes() -> None:
    with pytest.raises(ValueError, match="32"):
        SessionTokens("x" * 31)


def test_accepts_a_key_of_exactly_32_bytes() -> None:
    tokens = SessionTokens("y" * 32)
    assert tokens.verify(tokens.issue(Principal(channel="sms", account="a"), NOW), NOW).account == "a"


def test_accepts_a_token_from_an_instance_whose_clock_runs_a_little_ahead(tokens: SessionTokens) -> None:
    principal = Principal(channel="wechat_oa", account="o-1")
    assert tokens.verify(tokens.issue(principal, NOW + 30), NOW) == principal


def test_rejects_a_token_issued_well_in_the_future(tokens: SessionTokens) -> None:
    with pytest.raises(Unauthorized):
        tokens.verify(tokens.issue(Principal(channel="wechat_oa", account="o-1"), NOW + 600), NOW)
