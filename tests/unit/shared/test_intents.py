"""The same command words on every channel (OA chat and two-way SMS), as docs/contract.md spells them."""

from __future__ import annotations

import pytest

from shared.contract.intents import (
    AskBind,
    AskHelp,
    AskProgress,
    AskQuestion,
    ComplainByText,
    OptOutSms,
    RateByText,
    parse_command,
)


@pytest.mark.parametrize(("body", "intent"), [
    ("CX SB20260928123456", AskProgress("SB20260928123456")),
    ("cx sb20260928123456", AskProgress("SB20260928123456")),
    ("查询\u3000SB20260928123456", AskProgress("SB20260928123456")),
    ("进度 SB20260928123456", AskProgress("SB20260928123456")),
    ("进度SB20260928123456", AskProgress("SB20260928123456")),
    ("CX", AskProgress(None)), ("进度", AskProgress(None)),
    ("PJ SB20260928123456 5", RateByText("SB20260928123456", 5, None)),
    ("评价 SB20260928123456 2 太慢", RateByText("SB20260928123456", 2, "太慢")),
    ("PJ SB1", RateByText("SB1", 0, None)),
    ("PJ SB1 55 快", RateByText("SB1", 0, "快")),
    ("投诉 路灯坏了", ComplainByText("路灯坏了")), ("TS 路灯坏了", ComplainByText("路灯坏了")),
    ("绑定", AskBind()), ("bd", AskBind()),
    ("TD", OptOutSms()), ("t", OptOutSms()), ("退订", OptOutSms()), (" td ", OptOutSms()),
    ("帮助", AskHelp()), ("help", AskHelp()), ("", AskHelp()), ("\u3000", AskHelp()),
    ("TDX", AskQuestion("TDX")), ("你好", AskQuestion("你好")), ("查询低保怎么申请", AskQuestion("查询低保怎么申请")),
    ("开小卖部要办什么证", AskQuestion("开小卖部要办什么证")), ("问" * 300, AskQuestion("问" * 200)),
])
def test_every_spelling_of_the_commands_parses_the_same_on_every_channel(body: str, intent: object) -> None:
    assert parse_command(body) == intent


def test_a_level_of_thousands_of_digits_is_a_bad_level_not_a_crash() -> None:
    assert parse_command("评价 SB1 " + "9" * 5000) == RateByText("SB1", 0, None)
