"""Two-way SMS on the inbound topic: commands, unknown senders, opt-out, redeliveries."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest

from functions.bootstrap import Services
from functions.sms_inbound import receive
from tests.helpers import Api, FakeQueue, FakeSms, drain, load_event


@pytest.fixture(autouse=True)
def _delivering(svc: Services, queue: FakeQueue) -> None:
    global _deliver
    _deliver = lambda: drain(svc, queue)  # noqa: E731


_deliver: Callable[[], int] = lambda: 0  # noqa: E731


def _sms(body: str, sender: str = "+8613800138000", inbound_id: str | None = None) -> None:
    """A citizen's SMS on the inbound topic, then the replies it queued, delivered."""
    event = load_event("sns/inbound_sms", FROM=sender, BODY=body, INBOUND_ID=inbound_id or secrets.token_hex(8))
    receive(event, None)
    _deliver()


def test_cx_answers_the_status_by_sms(api: Api, sms: FakeSms) -> None:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    _sms(f"cx {no}")
    assert sms.sent[-1]["phone"] == "+8613800138000" and sms.sent[-1]["template"] == "reply_progress"
    assert sms.sent[-1]["params"]["application_no"] == no
    assert sms.sent[-1]["text"] == f"【民情直通车】{no} 居住证明开具:已提交"


def test_pj_rates_a_completed_application(api: Api, sms: FakeSms) -> None:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    api.walk(no, "accepted", "in_review", "completed")
    _sms(f"PJ {no} 1")
    assert sms.sent[-1]["text"] == "【民情直通车】感谢您的评价:非常不满意。"
    assert api.backend("GET", "/backend/v1/rectifications?status=open").json_body["rectifications"][0][
        "application_no"] == no


def test_an_unknown_number_gets_the_binding_hint(api: Api, sms: FakeSms) -> None:
    _sms("CX SB1", sender="+8613900000000")
    assert "绑定" in sms.sent[-1]["text"] and sms.sent[-1]["phone"] == "+8613900000000"


def test_anything_else_gets_help(api: Api, sms: FakeSms) -> None:
    api.citizen()
    _sms("你好")
    assert "CX" in sms.sent[-1]["text"]


def test_a_redelivered_message_is_answered_once(api: Api, sms: FakeSms) -> None:
    api.citizen()
    before = len(sms.sent)
    for _ in range(3):
        _sms("帮助", inbound_id="same-id")
    assert len(sms.sent) == before + 1


def test_td_opts_out_with_one_confirmation_and_stops_sms_notices(api: Api, sms: FakeSms, svc: Services) -> None:
    token = api.citizen()
    _sms("TD")
    assert "退订" in sms.sent[-1]["text"]
    count = len(sms.sent)
    _sms("退订")
    assert len(sms.sent) == count  # confirmed once
    assert api.call("GET", "/v1/me", token=token).json_body["preferences"]["sms_opt_out"] is True
    assert api.call("PUT", "/v1/me/preferences", {"sms_opt_out": False}, token).status_code == 200
    assert api.call("GET", "/v1/me", token=token).json_body["preferences"]["sms_opt_out"] is False


def test_a_malformed_message_is_ignored_without_error(api: Api, sms: FakeSms) -> None:
    event = load_event("sns/inbound_sms", FROM="+8613800138000", BODY="x", INBOUND_ID="1")
    event["Records"][0]["Sns"]["Message"] = "not json"
    receive(event, None)
    event = load_event("sns/inbound_sms", FROM="12345", BODY="CX", INBOUND_ID="2")
    receive(event, None)
    assert sms.sent == []


def test_a_redelivered_complaint_is_filed_once(api: Api, sms: FakeSms) -> None:
    api.citizen()
    for _ in range(2):
        _sms("TS 村口路灯坏了", inbound_id="complaint-once")
    filed = api.backend("GET", "/backend/v1/complaints?status=registered").json_body["complaints"]
    assert [c["content"] for c in filed] == ["村口路灯坏了"]
    assert len([m for m in sms.sent if m["template"] == "reply_complaint_filed"]) == 1
