"""TOTP against RFC 6238's own test vectors, the drift window, and sealing."""

from __future__ import annotations

import base64

import pytest

from shared.totp import code_at, matching_step, new_secret, seal, unseal

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()  # RFC 6238 Appendix B, SHA-1


@pytest.mark.parametrize(("at", "code"), [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"),
                                          (2000000000, "69279037")])
def test_codes_match_the_rfc_6238_vectors(at: int, code: str) -> None:
    assert code_at(RFC_SECRET, at // 30) == code[-6:]  # the RFC prints 8 digits; 6 are their last six


def test_a_code_is_accepted_one_step_either_side_and_not_further() -> None:
    secret, now = new_secret(), 1_790_000_000.0
    assert matching_step(secret, code_at(secret, int(now // 30) - 1), now) == int(now // 30) - 1
    assert matching_step(secret, code_at(secret, int(now // 30) + 2), now) is None
    assert matching_step(secret, "12 34 5", now) is None


def test_a_sealed_secret_opens_only_for_its_account() -> None:
    key, secret = b"k" * 32, new_secret()
    sealed = seal(key, "admin", secret)
    assert secret not in sealed and unseal(key, "admin", sealed) == secret
    with pytest.raises(Exception):  # noqa: B017 (cryptography's InvalidTag)
        unseal(key, "other", sealed)
