"""Typed commands (OA and SMS) and the inbound answer log on the in-memory store."""

from __future__ import annotations

from shared.approval.builtin import BuiltinApprovalBackend
from shared.clock import FixedClock
from shared.contract.commands import RecordApplicationEvent, SubmitApplication
from shared.contract.intents import parse_command
from shared.contract.records import Citizen
from shared.services.answers import AnswerService
from shared.services.applications import ApplicationService
from shared.services.complaints import ComplaintService
from shared.services.conversation import Conversation
from shared.services.identity import IdentityService
from shared.services.inbound import InboundLog
from shared.services.notices import NoticeService, new_notice
from shared.sessions import Principal, SessionTokens
from shared.storage.memory import MemoryStore
from tests.helpers import FakeQueue, store_bound


def _conversation(store: MemoryStore, fixed_clock: FixedClock, applications: ApplicationService,
                  complaints: ComplaintService) -> Conversation:
    identity = IdentityService(store.unit_of_work, SessionTokens("k" * 32, 7200), None, "pepper",  # type: ignore[arg-type]
                               fixed_clock)
    return Conversation(identity, applications, complaints, AnswerService(BuiltinApprovalBackend()),
                        "https://x/h5/bind", 30)


def test_progress_by_number_answers_the_owner_only(store: MemoryStore, fixed_clock: FixedClock, citizen: Citizen,
                                                  principal: Principal, applications: ApplicationService,
                                                  complaints: ComplaintService) -> None:
    store_bound(store, citizen, "wechat_oa", "oa-1", fixed_clock)
    no = applications.submit(principal, citizen, SubmitApplication(item_code="V-CW-001", form={"purpose": "入学"}),
                             "k").application_no
    applications.record_event(no, RecordApplicationEvent(status="accepted"))
    talk = _conversation(store, fixed_clock, applications, complaints)
    answer = talk.answer(Principal("wechat_oa", "oa-1"), parse_command(f"进度 {no}"))
    assert no in answer and "受理" in answer
    stranger = talk.answer(Principal("wechat_oa", "oa-2"), parse_command(f"进度 {no}"))
    assert "受理" not in stranger  # an unbound account learns nothing of it
    assert "https://x/h5/bind" in talk.answer(Principal("wechat_oa", "oa-2"), parse_command("绑定"))


def test_an_answer_is_recorded_once_with_the_notices_that_carry_it(
        store: MemoryStore, fixed_clock: FixedClock, outbox: tuple[NoticeService, FakeQueue]) -> None:
    log = InboundLog(store.unit_of_work, fixed_clock)
    assert log.keep_first("msg:1", "first") == "first"
    assert log.keep_first("msg:1", "second") == "first"
    assert log.claim("sms:1") is None and log.answered("sms:1") is False
    reply = new_notice("reply_progress", None, fixed_clock.now(), {})
    assert log.answer_once("sms:1", "进度…", [reply], settling=True) is True
    assert log.answer_once("sms:1", "again", [new_notice("reply_progress", None, fixed_clock.now(), {})]) is False
    assert log.answered("sms:1") is True
    assert list(store.records["notices"]) == [reply.notice_id]
    assert log.first_body("req-1", "d1") is True and log.first_body("req-1", "d2") is False
