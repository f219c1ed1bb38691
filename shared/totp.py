"""Two-step sign-in codes: TOTP (RFC 6238 over HOTP, RFC 4226) — HMAC-SHA1, 6 digits, 30-second steps, as every
authenticator app reads an ``otpauth://`` URI. https://www.rfc-editor.org/rfc/rfc6238

The secret is kept sealed (AES-GCM under a key derived from the session key, the username as associated data),
never in clear in the table.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote

STEP, DIGITS, WINDOW = 30, 6, 1   # one step either side for clock drift (RFC 6238 §5.2)


def new_secret() -> str:
    """160 random bits in base32 (RFC 4226 §4 recommends 160)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def code_at(secret: str, step: int) -> str:
    """The code of one time step (RFC 4226 §5.3 dynamic truncation)."""
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step ``code`` belongs to, within the drift window, or None."""
    typed = "".join(c for c in code if not c.isspace())
    if len(typed) != DIGITS or not typed.isdigit():
        return None
    current = int(now // STEP)
    return next((s for s in range(current - WINDOW, current + WINDOW + 1)
                 if hmac.compare_digest(code_at(secret, s), typed)), None)


def provisioning_uri(secret: str, username: str, issuer: str = "Minqing") -> str:
    """What an authenticator app is given (Key Uri Format)."""
    return f"otpauth://totp/{quote(issuer)}:{quote(username)}?secret={secret}&issuer={quote(issuer)}&digits=6&period=30"


def seal(key: bytes, username: str, secret: str) -> str:
    """The secret encrypted for storage."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, secret.encode(), username.encode())).decode()


def unseal(key: bytes, username: str, sealed: str) -> str:
    """The stored secret, decrypted (raises if it was tampered with or moved to another account)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    raw = base64.b64decode(sealed)
    return AESGCM(key).decrypt(raw[:12], raw[12:], username.encode()).decode()
