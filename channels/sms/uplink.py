"""Uplink SMS (上行短信) pushed by Aliyun Dysms over HTTP, handed to the one inbound consumer.

Aliyun's HTTP batch push POSTs a JSON array of ``{"phone_number","content","send_time",
"dest_code","sequence_id"[,"sign_name"]}`` and expects ``{"code":0,"msg":"接收成功"}``; any other
answer (or a timeout) is pushed again, and a message may arrive twice
(https://help.aliyun.com/zh/sms/developer-reference/smsup-http). The push carries no signature,
so the URL the county registers holds a secret token (``MINQING_SMS_UPLINK_TOKEN``): a push
without it is refused. Each message is published on the inbound SMS topic in the neutral
``{originationNumber, messageBody, inboundMessageId}`` form the consumer reads — the same form
AWS two-way SMS publishes in global regions — keyed by the provider's ``sequence_id`` so a
repeated push is answered once.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import Any

from shared.errors import BadRequest, Unauthorized
from shared.json_input import JsonRefused, loads

ACCEPTED = {"code": 0, "msg": "接收成功"}
MAX_MESSAGES = 100


def neutral_message(uplink: dict[str, Any]) -> dict[str, str]:
    """One Aliyun uplink as the inbound consumer reads it (BadRequest when a field is missing)."""
    phone, content, sequence = uplink.get("phone_number"), uplink.get("content"), uplink.get("sequence_id")
    if not isinstance(phone, str) or not isinstance(content, str) or sequence in (None, ""):
        raise BadRequest("each uplink needs phone_number, content and sequence_id")
    return {"originationNumber": phone, "messageBody": content, "inboundMessageId": f"aliyun:{sequence}",
            "sendTime": str(uplink.get("send_time", ""))}


class AliyunUplink:
    """Receives Aliyun's uplink pushes and publishes them for the inbound consumer."""

    def __init__(self, token: str, publish: Callable[[str], None]):
        self.token, self.publish = token, publish

    def receive(self, token: str, raw_body: bytes) -> dict[str, Any]:
        """Authenticate, parse and publish one push; returns the answer Aliyun expects."""
        if not self.token or not hmac.compare_digest(token.encode(), self.token.encode()):
            raise Unauthorized("uplink push without the configured token")
        try:
            pushed = loads(raw_body or b"null")
        except JsonRefused:
            raise BadRequest("uplink push is not JSON") from None
        if isinstance(pushed, dict):
            pushed = [pushed]
        if not isinstance(pushed, list) or not 0 < len(pushed) <= MAX_MESSAGES:
            raise BadRequest(f"uplink push must be a JSON array of 1-{MAX_MESSAGES} messages")
        messages = [neutral_message(m if isinstance(m, dict) else {}) for m in pushed]
        for message in messages:  # all parsed first: a bad push publishes nothing
            self.publish(json.dumps(message, ensure_ascii=False))
        return ACCEPTED
