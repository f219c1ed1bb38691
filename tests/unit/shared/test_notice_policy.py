"""The one policy from events to notices: who hears what, at which address (no storage needed)."""

from __future__ import annotations

from datetime import datetime

import pytest

from channels.sms.templates import VARIABLES
from shared.clock import CST
from shared.contract.domain_events import (
    ApplicationCompleted,
    ApplicationRated,
    ComplaintReplied,
    ItemSupervised,
    LicenceExpiring,
    MessageAnswered,
    RatingInvited,
    SupplementRequired,
)
from shared.services.notice_policy import SMS_REPLIES, NoticePolicy

AT = datetime(2026, 9, 28, 10, tzinfo=CST)
POLICY = NoticePolicy({"default": "+8613700000001", "县民政局": "137 0000 0002", "县教育局": "not a phone"})


def _one(event: object) -> dict[str, object]:
    (notice,) = POLICY.notices_for([event], AT)  # type: ignore[list-item]
    return notice.model_dump(exclude_none=True)


def test_a_completion_is_owed_to_the_citizen_with_the_channel_applied_on() -> None:
    n = _one(ApplicationCompleted(application_no="SB1", citizen_id="c1", status="rejected", item_name="居住证明",
                                  note="材料不全", origin="wechat_oa", step=3))
    assert (n["kind"], n["citizen_id"], n["application_no"]) == ("completion", "c1", "SB1")
    assert n["data"] == {"application_no": "SB1", "item_name": "居住证明", "status": "rejected", "note": "材料不全",
                         "origin": "wechat_oa"}
    assert n["status"] == "pending" and n["next_at"] == int(AT.timestamp())


@pytest.mark.parametrize(("event", "kind"), [
    (SupplementRequired(application_no="SB1", citizen_id="c1", status="supplement_required"), "supplement_required"),
    (ComplaintReplied(complaint_no="TS1", citizen_id="c1", reply="已修复"), "complaint_reply"),
    (RatingInvited(application_no="SB1", citizen_id="c1", item_name="居住证明"), "rating_invite"),
    (LicenceExpiring(reminder_id="r1", licence_id="L1", citizen_id="c1", kind="id_card", expires_on="2026-10-05",
                     days_left=7, threshold=7), "expiry_reminder"),
])
def test_each_citizen_event_owes_one_notice_of_its_kind(event: object, kind: str) -> None:
    assert _one(event)["kind"] == kind


def test_a_reminder_keeps_its_deterministic_id_and_says_the_days_left() -> None:
    n = _one(LicenceExpiring(reminder_id="r1", licence_id="L1", citizen_id="c1", kind="id_card",
                             expires_on="2026-10-05", days_left=7, threshold=7))
    assert n["notice_id"] == "r1" and n["data"]["days_left"] == "7"  # type: ignore[index]


def test_supervision_goes_to_the_departments_contact_or_the_default_and_nowhere_without_one() -> None:
    n = _one(ItemSupervised(what="complaint", number="TS1", due="2026-10-13", department="县民政局"))
    assert n["to"] == {"channel": "sms", "account": "+8613700000002", "locale": "zh-CN"}
    assert "投诉TS1已逾期" in str(n["text"])
    assert _one(ItemSupervised(what="case", number="ZG1", due="2026-10-13", department="县教育局"))["to"] == {
        "channel": "sms", "account": "+8613700000001", "locale": "zh-CN"}
    assert NoticePolicy({}).notices_for([ItemSupervised(what="case", number="ZG1", due="d", department="x")], AT) == []


def test_an_answer_goes_back_to_whoever_wrote_in_the_words_composed() -> None:
    sms = _one(MessageAnswered(channel="sms", account="+8613900000000", locale="en", key="progress", text="SB1: done",
                               values={"application_no": "SB1"}))
    assert (sms["kind"], sms["text"], sms["to"]) == ("reply_progress", "SB1: done", {
        "channel": "sms", "account": "+8613900000000", "locale": "en"})
    oa = _one(MessageAnswered(channel="wechat_oa", account="o1", locale="zh-CN", key="help", text="帮助"))
    assert oa["kind"] == "chat_answer" and "citizen_id" not in oa
    assert POLICY.notices_for([MessageAnswered(channel="sms", account="+8613900000000", locale="zh-CN", key="",
                                               text="")], AT) == []


def test_events_that_owe_nothing_give_no_notice() -> None:
    assert POLICY.notices_for([ApplicationRated(application_no="SB1", level=5)], AT) == []


def test_every_sms_reply_the_policy_sends_has_an_approved_template() -> None:
    assert {f"reply_{key}" for key in SMS_REPLIES} == {k for k in VARIABLES if k.startswith("reply_")}


def test_staff_phones_are_normalised_and_masked_where_operators_read_them() -> None:
    from shared.contract.views import NoticeView

    (notice,) = POLICY.notices_for([ItemSupervised(what="case", number="ZG1", due="d", department="县民政局")], AT)
    assert notice.to is not None and notice.to.account == "+8613700000002"
    assert NoticeView.from_notice(notice).to == "sms:137****0002"
    assert POLICY.contacts == {"default": "+8613700000001", "县民政局": "+8613700000002"}
