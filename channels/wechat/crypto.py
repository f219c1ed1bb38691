"""WeChat message signatures and safe-mode AES (WXBizMsgCrypt).

Signature: SHA-1 of the sorted strings, compared with ``hmac.compare_digest``. Safe mode:
AES-256-CBC, key = base64(EncodingAESKey + "="), IV = key[:16], PKCS#7 padding to 32 bytes,
plaintext = 16 random bytes + 4-byte big-endian length + message + appid.
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct

from shared.errors import Unauthorized

BLOCK = 32


def signature(*parts: str) -> str:
    """SHA-1 hex of the sorted, concatenated parts."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()  # noqa: S324 (WeChat's scheme)


def check_signature(given: str | None, *parts: str) -> None:
    """Unauthorized unless ``given`` is the signature of ``parts`` (constant-time compare)."""
    if not given or not hmac.compare_digest(signature(*parts), given.lower()):
        raise Unauthorized("bad WeChat signature")


def _key(encoding_aes_key: str) -> bytes:
    key = base64.b64decode(encoding_aes_key + "=")
    if len(key) != 32:
        raise ValueError("EncodingAESKey must be 43 characters")
    return key


class MessageCrypto:
    """Decrypts with the current key or, during rotation, the previous one; encrypts with the current."""

    def __init__(self, token: str, appid: str, aes_keys: list[str]):
        if not aes_keys:
            raise ValueError("at least one EncodingAESKey is required")
        self.token, self.appid = token, appid
        self.keys = [_key(k) for k in aes_keys if k]

    def decrypt(self, encrypted: str, msg_signature: str | None, timestamp: str, nonce: str) -> str:
        """The plaintext XML of a safe-mode message (Unauthorized when forged or undecryptable)."""
        check_signature(msg_signature, self.token, timestamp, nonce, encrypted)
        try:
            raw = base64.b64decode(encrypted, validate=True)
        except ValueError:
            raise Unauthorized("Encrypt is not base64") from None
        if not raw or len(raw) % 16:
            raise Unauthorized("Encrypt has a bad length")
        for key in self.keys:
            message = self._open(key, raw)
            if message is not None:
                return message
        raise Unauthorized("message does not decrypt for this account")

    def _open(self, key: bytes, raw: bytes) -> str | None:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
        padded = decryptor.update(raw) + decryptor.finalize()
        pad = padded[-1]
        if not 1 <= pad <= BLOCK or padded[-pad:] != bytes([pad]) * pad:
            return None
        plain = padded[:-pad]
        if len(plain) < 20:
            return None
        (length,) = struct.unpack(">I", plain[16:20])
        body, appid = plain[20:20 + length], plain[20 + length:]
        if len(body) != length or not hmac.compare_digest(appid, self.appid.encode()):
            return None
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def encrypt(self, message: str, timestamp: str, nonce: str) -> tuple[str, str]:
        """``(Encrypt, MsgSignature)`` for a reply."""
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        body = message.encode("utf-8")
        plain = os.urandom(16) + struct.pack(">I", len(body)) + body + self.appid.encode()
        pad = BLOCK - len(plain) % BLOCK
        key = self.keys[0]
        encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
        encrypted = base64.b64encode(encryptor.update(plain + bytes([pad]) * pad) + encryptor.finalize()).decode()
        return encrypted, signature(self.token, timestamp, nonce, encrypted)
