"""Staff passwords are scrypt hashes that verify only the right password."""

from __future__ import annotations

from shared.passwords import DUMMY, hash_password, needs_rehash, verify_password


def test_a_hash_verifies_its_password_only() -> None:
    stored = hash_password("县政务中心-2026-春")
    assert stored.startswith("scrypt$32768$8$3$")
    assert verify_password("县政务中心-2026-春", stored)
    assert not verify_password("县政务中心-2026-夏", stored)
    assert stored != hash_password("县政务中心-2026-春"), "each hash has its own salt"


def test_malformed_or_foreign_hashes_never_verify() -> None:
    for stored in ("", "plain", "bcrypt$x$y$z$a$b", "scrypt$x$8$3$AA==$AA==", DUMMY):
        assert not verify_password("anything at all", stored)


def test_weaker_parameters_ask_for_a_rehash() -> None:
    assert needs_rehash("scrypt$16384$8$1$AA==$AA==")
    assert not needs_rehash(hash_password("a long enough password"))
