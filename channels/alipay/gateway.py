"""Alipay's open-platform gateway: python-alipay-sdk signs every request RSA2 (SHA256withRSA) and
verifies every answer's signature with Alipay's public key; the request itself goes through
Minqing's one pooled HTTP client (``shared.http_client``), so a transport error is ``Unavailable``.

https://opendocs.alipay.com/common/02kf5q (签名与验签)
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.clock import CST
from shared.http_client import HttpStatusError, request

log = logging.getLogger(__name__)


@dataclass
class AlipayError(Exception):
    """Alipay answered with an error (``code``/``sub_code`` as Alipay names them)."""

    code: str
    sub_code: str
    sub_msg: str = ""

    def __str__(self) -> str:
        return f"alipay {self.code}/{self.sub_code}"


class AlipaySignatureError(Exception):
    """An answer whose signature does not verify: treated as not from Alipay."""


def _pem(key: str, kind: str) -> str:
    """Accept PEM or the bare base64 body Alipay's console shows."""
    key = key.strip().replace("\\n", "\n")
    if key.startswith("-----BEGIN"):
        return key
    label = "RSA PRIVATE KEY" if kind == "private" else "PUBLIC KEY"
    body = "\n".join(key[i:i + 64] for i in range(0, len(key), 64))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"


class AlipayGateway:
    """Signed calls as one app."""

    def __init__(self, appid: str, private_key: str, alipay_public_key: str, gateway: str, timeout: float = 10.0):
        self.appid, self.gateway, self.timeout = appid, gateway, timeout
        self._keys = (private_key, alipay_public_key)
        self._client: Any = None

    def _sdk(self) -> Any:
        if self._client is None:
            from alipay import AliPay
            from alipay.utils import AliPayConfig

            client = AliPay(appid=self.appid, app_private_key_string=_pem(self._keys[0], "private"),
                            alipay_public_key_string=_pem(self._keys[1], "public"), sign_type="RSA2",
                            config=AliPayConfig(timeout=int(self.timeout)))
            self._client = client
        return self._client

    def call(self, method: str, biz_content: dict[str, Any] | None = None, **params: str) -> dict[str, Any]:
        """The verified ``<method>_response`` object; AlipayError / AlipaySignatureError / Unavailable."""
        from alipay.exceptions import AliPayException, AliPayValidationError

        stamp = datetime.now(CST).strftime("%Y-%m-%d %H:%M:%S")  # GMT+8, whatever the host's zone (the SDK uses local)
        sdk = self._sdk()
        query = sdk.sign_data(sdk.build_body(method, biz_content or {}, timestamp=stamp, **params))
        try:
            raw = request("GET", f"{self.gateway}?{query}", timeout=self.timeout)
        except HttpStatusError as exc:
            raw = exc.body  # Alipay answers errors in the body; a body that is not one is caught below
        try:  # the SDK's own verification of the answer (it has no public name for it)
            out = sdk._verify_and_return_sync_response(raw.decode("utf-8", "replace"),
                                                        method.replace(".", "_") + "_response")
        except AliPayValidationError:
            raise AlipaySignatureError(f"{method}: answer signature does not verify") from None
        except AliPayException as exc:
            raise _error(method, str(exc)) from None
        except (ValueError, KeyError, AttributeError, TypeError) as exc:
            raise AlipaySignatureError(f"{method}: answer is not a signed Alipay response") from exc
        if str(out.get("code", "10000")) != "10000":
            raise AlipayError(str(out.get("code")), str(out.get("sub_code", "")), str(out.get("sub_msg", "")))
        return out


def _error(method: str, message: str) -> AlipayError:
    """Read code/sub_code out of the SDK's exception text (it carries the raw answer)."""
    raw = message.split("message:", 1)[-1]
    try:
        data = json.loads(raw)
        body = data.get(method.replace(".", "_") + "_response") or data.get("error_response") or {}
    except ValueError:
        body = {}
    return AlipayError(str(body.get("code", "unknown")), str(body.get("sub_code", "")), str(body.get("sub_msg", "")))
