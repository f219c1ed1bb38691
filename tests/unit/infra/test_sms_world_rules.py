"""The local SMS provider's own rules, checked against Aliyun's documentation (not Minqing's code)."""

from __future__ import annotations

import pytest

from infra.sms_world import SmsWorld, approvable, encode, expected_signature

# The example of Aliyun's 签名机制 documentation for SendSms (its published signature).
DOC_PARAMS = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
              "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
              "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
              "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}


def test_the_world_checks_signatures_with_its_own_implementation_of_the_documented_vector() -> None:
    assert expected_signature("testSecret", DOC_PARAMS) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    assert encode("a b*c~d/中") == "a%20b%2Ac~d%2F%E4%B8%AD"


@pytest.mark.parametrize("body", ["【民情直通车】${content}", "${content}", "${a}${b}", " ${a},${b}。"])
def test_templates_the_provider_would_refuse_cannot_be_approved(body: str) -> None:
    assert approvable(body) is not None
    with pytest.raises(ValueError, match="refused"):
        SmsWorld("id", "secret", "民情直通车", {"SMS_X": body})


def test_a_fixed_text_template_with_short_variables_is_approvable() -> None:
    assert approvable("您的验证码为${code},5分钟内有效。") is None
