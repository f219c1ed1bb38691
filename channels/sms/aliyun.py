"""Aliyun Dysms ``SendSms``: signature name + approved template code + template params, the
request signed HMAC-SHA1 as Aliyun's RPC APIs require.

https://help.aliyun.com/document_detail/101343.html (签名机制); https://help.aliyun.com/document_detail/419273.html
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
import uuid
from datetime import UTC, datetime
from typing import Any

from channels.sms.templates import VARIABLES, template_values
from shared.errors import Unavailable
from shared.http_client import HttpStatusError, request_json
from shared.ports import RecipientRefused

PERMANENT = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.SMS_TEMPLATE_ILLEGAL", "isv.SMS_SIGNATURE_ILLEGAL",
             "isv.TEMPLATE_MISSING_PARAMETERS", "isv.BLACK_KEY_CONTROL_LIMIT", "isv.TEMPLATE_PARAMS_ILLEGAL",
             "isv.INVALID_PARAMETERS", "isv.PARAM_LENGTH_LIMIT", "isv.PARAM_NOT_SUPPORT_URL",
             "isv.INVALID_JSON_PARAM"}


class SmsRejected(Exception):
    """The provider refused this message for good (bad number, template, parameters…)."""


class NumberRefused(SmsRejected, RecipientRefused):
    """The number itself cannot receive SMS (``isv.MOBILE_NUMBER_ILLEGAL``)."""


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Aliyun signs it (space → %20, ``*`` → %2A, ``~`` kept)."""
    return urllib.parse.quote(value, safe="~")


def signature(secret: str, params: dict[str, str], method: str = "GET") -> str:
    """Base64 HMAC-SHA1 over ``METHOD&%2F&`` + the encoded, sorted query."""
    query = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(query)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class AliyunSmsSender:
    """Implements ``shared.ports.SmsSender`` with Dysms; ``templates`` maps a notice kind to a template code."""

    def __init__(self, access_key_id: str, access_key_secret: str, sign_name: str, templates: dict[str, str],
                 endpoint: str = "https://dysmsapi.aliyuncs.com/", timeout: float = 5.0):
        self.key_id, self.secret, self.sign_name = access_key_id, access_key_secret, sign_name
        self.templates, self.endpoint, self.timeout = templates, endpoint, timeout

    def params(self, phone: str, template_code: str, values: dict[str, str], now: datetime | None = None,
               nonce: str | None = None) -> dict[str, str]:
        """The signed query of one SendSms call."""
        params = {
            "AccessKeyId": self.key_id, "Action": "SendSms", "Format": "JSON", "Version": "2017-05-25",
            "RegionId": "cn-hangzhou", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "Timestamp": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "PhoneNumbers": phone.removeprefix("+86"), "SignName": self.sign_name, "TemplateCode": template_code,
            "TemplateParam": json.dumps(values, ensure_ascii=False, separators=(",", ":")),
        }
        params["Signature"] = signature(self.secret, params)
        return params

    def send(self, phone: str, template: str, params: dict[str, str], text: str) -> str:
        """Send through the template configured for ``template`` (a notice kind or ``otp``/``reply``)."""
        code = self.templates.get(template)
        if not code:
            raise SmsRejected(f"no SMS template configured for {template}")
        values = template_values(template, params) if template in VARIABLES else params
        try:
            out: Any = request_json("GET", self.endpoint, query=self.params(phone, code, values), timeout=self.timeout)
        except HttpStatusError as exc:
            raise Unavailable(f"SMS provider answered HTTP {exc.status}") from None
        status = str(out.get("Code", ""))
        if status == "OK":
            return str(out.get("BizId", ""))
        if status == "isv.MOBILE_NUMBER_ILLEGAL":
            raise NumberRefused(status)
        if status in PERMANENT:
            raise SmsRejected(status)
        raise Unavailable(f"SMS provider: {status}")  # BUSINESS_LIMIT_CONTROL, throttling…: try later
