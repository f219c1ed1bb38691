"""Aliyun Dysms request signing against the documented vector."""

from __future__ import annotations

from datetime import UTC, datetime

from channels.sms.aliyun import AliyunSmsSender, percent_encode, signature
from tests.helpers import ALIYUN_DOC_PARAMS as DOC_PARAMS


def test_signature_matches_the_documented_example() -> None:
    assert signature("testSecret", DOC_PARAMS) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_percent_encoding_follows_aliyun_rules() -> None:
    assert percent_encode("a b*c~d/") == "a%20b%2Ac~d%2F"


def test_a_send_request_is_signed_over_every_parameter() -> None:
    sender = AliyunSmsSender("id", "secret", "民情直通车", {"otp": "SMS_1"})
    params = sender.params("+8613800138000", "SMS_1", {"code": "123456"},
                           now=datetime(2026, 9, 28, 2, 0, tzinfo=UTC), nonce="n-1")
    assert params["PhoneNumbers"] == "13800138000" and params["TemplateParam"] == '{"code":"123456"}'
    unsigned = {k: v for k, v in params.items() if k != "Signature"}
    assert params["Signature"] == signature("secret", unsigned)
    assert params["Signature"] != signature("other", unsigned)
