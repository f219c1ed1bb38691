"""Backend request signing: HMAC-SHA256 over ts, nonce, METHOD, path and query, body."""

from __future__ import annotations

import hashlib
import hmac

from shared.services.backend_auth import sign

KEY = "backend-key-0123"
TS = "1790000000"
NONCE = "n0nce-123"
PATH = "/backend/v1/applications/SB20260928123456/events?source=operator"
BODY = '{"status":"accepted","note":"材料齐全"}'.encode()


def test_signature_is_hmac_sha256_of_the_canonical_string() -> None:
    canonical = (TS + "\n" + NONCE + "\n" + "POST" + "\n" + PATH + "\n").encode() + BODY
    expected = hmac.new(KEY.encode(), canonical, hashlib.sha256).hexdigest()
    assert sign(KEY, TS, NONCE, "POST", PATH, BODY) == expected


def test_signature_matches_a_vector_computed_with_openssl() -> None:
    # printf '1790000000\nn0nce-123\nGET\n/backend/v1/notices?application_no=SB20260928123456\n'
    #   | openssl dgst -sha256 -hmac 'backend-key-0123'
    expected = "a98edf48143f0da07530bb3bf2f6b5fb1133baf6436ce6314306a610e3ed51d9"
    assert sign(KEY, TS, NONCE, "GET", "/backend/v1/notices?application_no=SB20260928123456", b"") == expected


def test_the_method_is_upper_cased_before_signing() -> None:
    assert sign(KEY, TS, NONCE, "post", PATH, BODY) == sign(KEY, TS, NONCE, "POST", PATH, BODY)


def test_signature_is_lower_case_hex() -> None:
    signature = sign(KEY, TS, NONCE, "POST", PATH, BODY)
    assert len(signature) == 64
    assert signature == signature.lower()
    int(signature, 16)


def test_changing_any_part_changes_the_signature() -> None:
    base = sign(KEY, TS, NONCE, "POST", PATH, BODY)
    variants = [
        sign("backend-key-0124", TS, NONCE, "POST", PATH, BODY),
        sign(KEY, "1790000001", NONCE, "POST", PATH, BODY),
        sign(KEY, TS, "n0nce-124", "POST", PATH, BODY),
        sign(KEY, TS, NONCE, "PUT", PATH, BODY),
        sign(KEY, TS, NONCE, "POST", PATH + "&x=1", BODY),
        sign(KEY, TS, NONCE, "POST", PATH, BODY + b" "),
    ]
    assert base not in variants
    assert len(set(variants)) == len(variants)
