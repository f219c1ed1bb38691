"""The local stage's SMS provider: the local world's ``POST /sms/send`` (see local.md)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


class LocalSmsSender:
    """Implements ``shared.ports.SmsSender`` over HTTP to the local world."""

    def __init__(self, endpoint: str, timeout: float = 5.0):
        self.endpoint, self.timeout = endpoint, timeout

    def send(self, phone: str, template: str, params: dict[str, str], text: str) -> str:
        """POST the message; raises ``SmsRejected`` (permanent) or ``OSError`` (transient)."""
        body = json.dumps({"to": phone, "template": template, "params": params, "text": text}).encode()
        if not self.endpoint.startswith(("http://", "https://")):
            raise ValueError("MINQING_SMS_ENDPOINT must be an http(s) URL")
        req = urllib.request.Request(self.endpoint, data=body, method="POST",  # noqa: S310 (checked above)
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 (configured URL)
                return str(json.loads(resp.read()).get("message_id", ""))
        except urllib.error.HTTPError as exc:
            if 400 <= exc.code < 500 and exc.code != 429:
                raise SmsRejected(f"provider refused: HTTP {exc.code}") from None
            raise OSError(f"provider error: HTTP {exc.code}") from None


class SmsRejected(Exception):
    """The provider refused this message for good (bad number, template…)."""
