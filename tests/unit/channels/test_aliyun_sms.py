"""Aliyun Dysms request signing against the documented vector."""

from __future__ import annotations

from datetime import UTC, datetime

from channels.sms.aliyun import AliyunSmsSender, percent_encode, signature

# The example of Aliyun's 签名机制 documentation for SendSms.
DOC_PARAMS = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
              "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
              "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
              "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}


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
