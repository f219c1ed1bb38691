"""Every SMS Minqing sends is accepted by the provider's rules: each template kind rendered with
worst-case values through the real client against the local world's Dysms."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from channels.sms.aliyun import AliyunSmsSender, SmsRejected
from channels.sms.notifier import SmsNotifier
from channels.sms.templates import VARIABLES
from infra.world.server import World, serve
from infra.world.sms_platform import APPROVED, SmsWorld
from shared.ports import DeliveryFailed

ROOT = Path(__file__).resolve().parents[2]
LOCAL = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))["stages"]["local"][
    "environment_variables"]
PHONE = "+8613800138000"
WORST = {  # longest and most hostile values each variable can carry
    "code": "123456", "item_name": "城乡居民基本养老保险参保登记及待遇领取资格认证" * 2,
    "application_no": "SB20261126999999", "status_label": "不予受理",
    "note": "材料不全,请补交 https://example.gov.cn/x?a=1 以及 www.example.com 上的表格。" + "说明" * 900,
    "complaint_no": "TS20261126999999", "reply": "已转交有关部门处理,详见 http://a.b/c " + "回复" * 900,
    "kind_label": "机动车驾驶证", "expires_on": "2026-12-31", "number": "TS20261126999999", "due": "",
    "label": "非常不满意", "days": "30",
    "materials": "居民身份证原件、户口簿、经营场所使用证明（房产证或租赁合同）、个体工商户设立登记申请书",
    "location": "县政务服务中心一楼 A03 窗口（www.example.gov.cn 预约）",
}


@pytest.fixture
def provider() -> Iterator[tuple[World, AliyunSmsSender]]:
    world = World(sms=SmsWorld(LOCAL["MINQING_ALIYUN_ACCESS_KEY_ID"], LOCAL["MINQING_ALIYUN_ACCESS_KEY_SECRET"],
                               LOCAL["MINQING_SMS_SIGN_NAME"]))
    server = serve(world, port=0)
    sender = AliyunSmsSender(LOCAL["MINQING_ALIYUN_ACCESS_KEY_ID"], LOCAL["MINQING_ALIYUN_ACCESS_KEY_SECRET"],
                             LOCAL["MINQING_SMS_SIGN_NAME"], json.loads(LOCAL["MINQING_SMS_TEMPLATES"]),
                             f"http://127.0.0.1:{server.server_address[1]}/aliyun/sms")
    yield world, sender
    server.shutdown()


@pytest.mark.parametrize("kind", sorted(VARIABLES))
def test_every_template_kind_is_accepted_with_worst_case_values(kind: str, provider: tuple[World, AliyunSmsSender],
                                                                ) -> None:
    world, sender = provider
    sender.send(PHONE, kind, dict(WORST), "")
    sent = world.outbox[-1]
    assert sent["to"] == PHONE and sent["text"].startswith("【民情直通车】")
    assert "http" not in sent["text"] and "www." not in sent["text"]


def test_a_refused_url_is_permanent_not_retried(provider: tuple[World, AliyunSmsSender]) -> None:
    world, sender = provider
    world.faults["sms"] = [{"errcode": "isv.PARAM_NOT_SUPPORT_URL"}]
    with pytest.raises(DeliveryFailed) as failed:
        SmsNotifier(sender, (SmsRejected,)).deliver("completion", {"application_no": "SB1", "item_name": "x",
                                                                   "status": "completed"}, PHONE, "zh-CN")
    assert failed.value.permanent


def test_english_notices_go_out_on_the_chinese_template_with_chinese_labels(
        provider: tuple[World, AliyunSmsSender]) -> None:
    world, sender = provider
    SmsNotifier(sender, (SmsRejected,)).deliver(
        "completion", {"application_no": "SB1", "item_name": "Residence certificate", "status": "completed"},
        PHONE, "en")
    assert "已办结" in world.outbox[-1]["text"] and "说明:无" in world.outbox[-1]["text"]


def test_the_template_document_lists_every_approved_template_word_for_word() -> None:
    doc = (ROOT / "docs" / "sms-templates.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| (.+?) \|", doc, re.M))
    codes = json.loads(LOCAL["MINQING_SMS_TEMPLATES"])
    assert set(rows) == set(VARIABLES) == set(codes)
    for kind, text in rows.items():
        assert text.strip() == APPROVED[codes[kind]], kind
