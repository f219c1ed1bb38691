"""Every spelling of the SMS commands of api.md."""

from __future__ import annotations

import pytest

from channels.sms.inbound import parse_text
from shared.contract.intents import AskHelp, AskProgress, OptOutSms, RateByText


@pytest.mark.parametrize(("body", "intent"), [
    ("CX SB20260928123456", AskProgress("SB20260928123456")),
    ("cx sb20260928123456", AskProgress("SB20260928123456")),
    ("查询\u3000SB20260928123456", AskProgress("SB20260928123456")),
    ("CX", AskProgress(None)),
    ("PJ SB20260928123456 5", RateByText("SB20260928123456", 5, None)),
    ("评价 SB20260928123456 2 太慢", RateByText("SB20260928123456", 2, "太慢")),
    ("PJ SB1", RateByText("SB1", 0, None)),
    ("TD", OptOutSms()), ("t", OptOutSms()), ("退订", OptOutSms()), (" td ", OptOutSms()),
    ("TDX", AskHelp()), ("你好", AskHelp()), ("", AskHelp()),
])
def test_sms_commands_parse(body: str, intent: object) -> None:
    assert parse_text(body) == intent
