"""Staff passwords: scrypt (memory-hard), parameters stored with each hash so they can be raised later.

N=2^15, r=8, p=3 is one of OWASP's equivalent scrypt settings (32 MiB a hash; the API function has
512 MB). https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N, R, P = 2**15, 8, 3
LENGTH = 32
MIN_LENGTH = 12  # a staff password is at least this long (NIST SP 800-63B §5.1.1 asks ≥ 8; the console asks more)


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash`` (salt and hash in base64)."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, N, R, P)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant time); False for anything malformed."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        return hmac.compare_digest(_scrypt(password, base64.b64decode(salt), int(n), int(r), int(p)), expected)
    except (ValueError, TypeError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with weaker parameters than today's."""
    parts = stored.split("$")
    return len(parts) != 6 or parts[0] != "scrypt" or (int(parts[1]), int(parts[2]), int(parts[3])) < (N, R, P)


DUMMY = f"scrypt${N}${R}${P}${'A' * 24}${'A' * 44}"  # verified against for unknown users: the same time spent


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * n * r + 2**20,
                          dklen=LENGTH)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
