"""Chat work that cannot be done now is answered at once and finished through the
customer-service API by the chat worker."""

from __future__ import annotations

from typing import Any

import pytest

from channels.wechat.access_tokens import AccessTokenStore
from channels.wechat.api import WeChatApi, stable_token_fetcher
from channels.wechat.notify import OaTemplateNotifier
from channels.wechat.oa import OfficialAccount
from functions.bootstrap import Services
from functions.chat_worker import answer_later
from infra.world.server import World
from shared.errors import Unavailable
from shared.services.inbound import InboundLog
from tests.helpers import Api, FakeQueue, drain, load_event


@pytest.fixture
def oa_world(svc: Services, world: tuple[World, str]) -> World:
    """The OA's customer-service API in the local world, as the notice worker reaches it."""
    w, base = world
    api = WeChatApi(base, AccessTokenStore(svc.table, "wxoa-chat", stable_token_fetcher(base, "wxoa-chat", "s"),
                                           svc.clock))
    svc.delivery.notifiers["wechat_oa"] = OaTemplateNotifier(api, {})
    return w


def test_a_message_that_cannot_be_answered_now_is_queued_and_acknowledged(svc: Services,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    jobs: list[dict[str, Any]] = []
    oa = OfficialAccount("t", "a", None, svc.conversation, InboundLog(svc.uow, svc.clock), svc.clock, jobs.append)

    def down(*_: Any) -> str:
        raise Unavailable()

    monkeypatch.setattr(svc.conversation, "answer", down)
    from shared.contract.intents import AskProgress
    from shared.sessions import Principal

    text = oa._answer(Principal("wechat_oa", "o-1"), AskProgress("SB1"), "msg:1")
    assert text == "已收到,正在处理,稍后为您回复。"
    assert jobs[0]["openid"] == "o-1" and jobs[0]["intent"] == {"type": "AskProgress", "application_no": "SB1"}


def _answers(api: Api, openid: str) -> list[dict[str, Any]]:
    return api.backend("GET", f"/backend/v1/notices?to={openid}&kind=chat_answer").json_body["notices"]


def test_the_chat_worker_answers_through_the_customer_service_api(api: Api, svc: Services, queue: FakeQueue,
                                                                  oa_world: World) -> None:
    token = api.token("wechat_oa", "o-42")
    assert api.bind(token).status_code == 200
    no = api.submit(token).json_body["application_no"]
    event = load_event("sqs/chat", OPENID="o-42", APPLICATION_NO=no, RECEIVED_AT=str(int(svc.clock.now().timestamp())))
    assert answer_later(event, None) == {"batchItemFailures": []}
    assert answer_later(event, None) == {"batchItemFailures": []}  # SQS delivered it twice: one answer
    drain(svc, queue)
    assert [(m["to"], m["text"]) for m in oa_world.outbox] == [("o-42", f"{no} 居住证明开具:已提交")]
    assert [n["status"] for n in _answers(api, "o-42")] == ["delivered"]
    assert InboundLog(svc.uow, svc.clock).keep_first("msg:6000000000000000042", "other") == oa_world.outbox[0]["text"]


def test_an_answer_refused_after_the_48_hour_window_ends_failed_visibly(api: Api, svc: Services, queue: FakeQueue,
                                                                        oa_world: World) -> None:
    received = int(svc.clock.now().timestamp()) - 48 * 3600
    oa_world.faults["wechat_oa"] = [{"errcode": 45015}]  # response out of time limit
    event = load_event("sqs/chat", OPENID="o-42", APPLICATION_NO="SB1", RECEIVED_AT=str(received))
    assert answer_later(event, None) == {"batchItemFailures": []}
    drain(svc, queue)
    notice = _answers(api, "o-42")[0]
    assert notice["status"] == "failed" and notice["attempts"][0]["detail"] == "errcode 45015"
    assert oa_world.outbox == []
