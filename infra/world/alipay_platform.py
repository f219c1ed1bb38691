"""The local world's Alipay gateway (``/alipay/gateway.do``): checks every request's RSA2 signature
against the app's public key and signs every answer with the key whose public half the local
stage holds as ``MINQING_ALIPAY_PUBLIC_KEY`` (implemented with ``cryptography``, independently of
the SDK Minqing calls it with)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def generate_keypair() -> tuple[str, str]:
    """``(private PEM, public PEM)`` of a fresh RSA-2048 key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def local_keys(folder: Path) -> dict[str, str]:
    """The local stage's two key pairs (app and "Alipay"), generated once into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = {}
    for who in ("app", "alipay"):
        private, public = folder / f"{who}_private.pem", folder / f"{who}_public.pem"
        if not private.exists():
            pem_private, pem_public = generate_keypair()
            private.write_text(pem_private)
            private.chmod(0o600)
            public.write_text(pem_public)
        keys[f"{who}_private"], keys[f"{who}_public"] = private.read_text(), public.read_text()
    return keys


def rsa2_sign(private_pem: str, message: str) -> str:
    """Base64 SHA256withRSA (PKCS#1 v1.5) signature."""
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return base64.b64encode(key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()  # type: ignore[union-attr,call-arg]


def rsa2_verify(public_pem: str, message: str, signature: str) -> bool:
    """True when ``signature`` is the RSA2 signature of ``message``."""
    key = serialization.load_pem_public_key(public_pem.encode())
    try:
        key.verify(base64.b64decode(signature), message.encode(), padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr,call-arg]
    except (InvalidSignature, ValueError):
        return False
    return True


def canonical(params: dict[str, str]) -> str:
    """Sorted ``k=v`` joined by ``&``, without ``sign`` and empty values."""
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "sign" and v != "")


class AlipayWorld:
    """State and behaviour of the stand-in gateway."""

    def __init__(self, app_public_pem: str, alipay_private_pem: str):
        self.app_public, self.alipay_private = app_public_pem, alipay_private_pem
        self.used_codes: set[str] = set()

    def answer(self, world: Any, params: dict[str, str]) -> str:
        """The signed JSON answer to one gateway request."""
        method = params.get("method", "")
        response_type = method.replace(".", "_") + "_response"
        if not rsa2_verify(self.app_public, canonical(params), params.get("sign", "")):
            return _gateway_error("isv.invalid-signature", "验签出错")
        if not _timestamp_ok(params.get("timestamp", "")):
            return _gateway_error("isv.invalid-timestamp", "非法的时间戳参数")
        if params.get("app_id") == "" or params.get("sign_type") != "RSA2":
            return self._signed(response_type, _error("isv.invalid-app-id"))
        if method == "alipay.system.oauth.token":
            return self._signed(response_type, self._oauth(params.get("code", "")))
        if method == "alipay.open.app.mini.templatemessage.send":
            return self._signed(response_type, self._send(world, params))
        return self._signed(response_type, {"code": "40004", "msg": "Business Failed",
                                            "sub_code": "isv.method-not-supported", "sub_msg": method})

    def _oauth(self, code: str) -> dict[str, Any]:
        if not code or code in self.used_codes:
            return {"code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.code-invalid",
                    "sub_msg": "授权码code无效"}
        self.used_codes.add(code)
        user = code.split(":", 1)[0].removeprefix("uid-")  # "<user>:<nonce>": one user, many codes
        digest = hashlib.sha256(user.encode()).hexdigest()
        out: dict[str, Any] = {"code": "10000", "msg": "Success", "user_id": "2088" + str(int(digest[:12], 16))[:12],
                               "access_token": "authbse" + secrets.token_hex(8), "expires_in": 1296000,
                               "refresh_token": "authbse" + secrets.token_hex(8), "re_expires_in": 2592000}
        if not code.startswith("uid-"):  # "uid-…" codes act like an app not yet moved to open_id
            out["open_id"] = "0" + digest[12:40]
        return out

    def _send(self, world: Any, params: dict[str, str]) -> dict[str, Any]:
        fault = world.take_fault("alipay")
        if fault:
            return _error(str(fault.get("errcode", "SYSTEM_ERROR")))
        try:
            biz = json.loads(params.get("biz_content", "{}"))
            data = json.loads(biz.get("data", "{}"))
        except ValueError:
            return _error("isv.invalid-parameter")
        to = biz.get("to_user_id") or biz.get("to_open_id")
        if not to or not biz.get("user_template_id"):
            return _error("isv.invalid-parameter")
        values = [str((v or {}).get("value", "")) for v in data.values()]
        if any(len(v) > 50 or not v for v in values):
            return _error("isv.invalid-parameter")
        world.deliver("alipay", to, biz["user_template_id"], " ".join(values), data)
        return {"code": "10000", "msg": "Success"}

    def _signed(self, response_type: str, body: dict[str, Any]) -> str:
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        return f'{{"{response_type}":{content},"sign":"{rsa2_sign(self.alipay_private, content)}"}}'


BEIJING = timezone(timedelta(hours=8))
MAX_SKEW = timedelta(minutes=15)  # Alipay publishes no tolerance; a stale or UTC-stamped request is off by hours


def _timestamp_ok(value: str) -> bool:
    """``timestamp`` is ``yyyy-MM-dd HH:mm:ss`` in GMT+8 (Alipay's common request parameters,
    https://opendocs.alipay.com/common/02kkv7), close to now."""
    try:
        stamped = datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
    except ValueError:
        return False
    return abs(datetime.now(BEIJING) - stamped) <= MAX_SKEW


def _gateway_error(sub_code: str, sub_msg: str) -> str:
    """A gateway-level refusal: an ``error_response`` object with an empty ``sign``
    (https://opendocs.alipay.com/open/common/105806, 公共错误码)."""
    body = {"code": "40002", "msg": "Invalid Arguments", "sub_code": sub_code, "sub_msg": sub_msg}
    return json.dumps({"error_response": body, "sign": ""}, ensure_ascii=False, separators=(",", ":"))


def _error(sub_code: str) -> dict[str, Any]:
    return {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_code}
