"""The local SMS provider's own rules, checked against Aliyun's documentation (not Minqing's code)."""

from __future__ import annotations

import pytest

from infra.world.sms_platform import SmsWorld, approvable, encode, expected_signature
from tests.helpers import ALIYUN_DOC_PARAMS as DOC_PARAMS


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
