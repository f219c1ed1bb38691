"""Chat work that cannot be done now is answered at once and finished through the
customer-service API by the chat worker."""

from __future__ import annotations

from typing import Any

import pytest

from channels.wechat.oa import DeferredAnswers, OfficialAccount
from functions.bootstrap import Services
from functions.chat_worker import answer_later
from shared.errors import Unavailable
from shared.services.inbound import InboundLog
from tests.helpers import Api, load_event


@pytest.fixture
def sent() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def later(svc: Services, sent: list[tuple[str, str]]) -> DeferredAnswers:
    svc.deferred_answers = DeferredAnswers(svc.conversation, InboundLog(svc.table, svc.clock),
                                           lambda openid, text: sent.append((openid, text)), svc.clock)
    return svc.deferred_answers


def test_a_message_that_cannot_be_answered_now_is_queued_and_acknowledged(svc: Services,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    jobs: list[dict[str, Any]] = []
    oa = OfficialAccount("t", "a", None, svc.conversation, InboundLog(svc.table, svc.clock), svc.clock, jobs.append)

    def down(*_: Any) -> str:
        raise Unavailable()

    monkeypatch.setattr(svc.conversation, "answer", down)
    from shared.contract.intents import AskProgress
    from shared.tokens import Principal

    text = oa._answer(Principal("wechat_oa", "o-1"), AskProgress("SB1"), "msg:1")
    assert text == "已收到,正在处理,稍后为您回复。"
    assert jobs[0]["openid"] == "o-1" and jobs[0]["intent"] == {"type": "AskProgress", "application_no": "SB1"}


def test_the_chat_worker_answers_through_the_customer_service_api(api: Api, svc: Services, later: DeferredAnswers,
                                                                  sent: list[tuple[str, str]]) -> None:
    token = api.token("wechat_oa", "o-42")
    assert api.bind(token).status_code == 200
    no = api.submit(token).json_body["application_no"]
    event = load_event("sqs/chat", OPENID="o-42", APPLICATION_NO=no, RECEIVED_AT=str(int(svc.clock.now().timestamp())))
    assert answer_later(event, None) == {"batchItemFailures": []}
    assert sent == [("o-42", f"{no} 居住证明开具:已提交")]
    assert InboundLog(svc.table, svc.clock).keep_first("msg:6000000000000000042", "other") == sent[0][1]


def test_an_answer_past_the_48_hour_window_is_dropped(api: Api, svc: Services, later: DeferredAnswers,
                                                      sent: list[tuple[str, str]]) -> None:
    received = int(svc.clock.now().timestamp()) - 48 * 3600
    event = load_event("sqs/chat", OPENID="o-42", APPLICATION_NO="SB1", RECEIVED_AT=str(received))
    assert answer_later(event, None) == {"batchItemFailures": []}
    assert sent == []


def test_a_failed_send_goes_back_to_the_queue(svc: Services) -> None:
    def broken(openid: str, text: str) -> None:
        raise RuntimeError("custom/send errcode 45015")

    svc.deferred_answers = DeferredAnswers(svc.conversation, InboundLog(svc.table, svc.clock), broken, svc.clock)
    now = str(int(svc.clock.now().timestamp()))
    event = load_event("sqs/chat", OPENID="o-1", APPLICATION_NO="SB1", RECEIVED_AT=now)
    out = answer_later(event, None)
    assert out == {"batchItemFailures": [{"itemIdentifier": "2e1424d4-f796-459a-8184-9c92662be6da"}]}
