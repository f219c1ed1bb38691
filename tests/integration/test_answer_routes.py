"""智能问答 over every door: ``GET /v1/answers``, the official account's chat and two-way SMS."""

from __future__ import annotations

import secrets
import urllib.parse

import pytest

from functions.bootstrap import Services
from functions.sms_inbound import receive
from tests.helpers import Api, FakeQueue, FakeSms, drain, load_event
from tests.integration.test_wechat_oa import _content, _post, _query, _text


def _ask(api: Api, q: str | None) -> object:
    return api.call("GET", "/v1/answers" + ("?" + urllib.parse.urlencode({"q": q}) if q is not None else ""))


def test_a_question_gets_the_right_item_with_what_to_bring_and_no_sign_in(api: Api) -> None:
    out = _ask(api, "孩子刚出生怎么上户口")
    assert out.status_code == 200
    answers = out.json_body["answers"]
    assert 1 <= len(answers) <= 5 and set(answers[0]) == {"item_code", "name", "score", "text"}
    assert answers[0]["item_code"] == "C-GA-004" and "出生医学证明" in answers[0]["text"]


def test_an_english_question_is_answered_in_english(api: Api) -> None:
    best = _ask(api, "How do I register my newborn baby?").json_body["answers"][0]
    assert best["item_code"] == "C-GA-004" and best["name"] == "Registering a newborn on the household register"


def test_nonsense_gets_an_empty_list(api: Api) -> None:
    assert _ask(api, "今天天气怎么样").json_body == {"answers": []}


@pytest.mark.parametrize("q", [None, "", "   ", "问" * 201], ids=["missing", "empty", "spaces", "201 characters"])
def test_an_empty_or_over_long_question_is_a_422_naming_q(api: Api, q: str | None) -> None:
    out = _ask(api, q)
    assert out.status_code == 422
    assert out.json_body["error"]["code"] == "validation_error"
    assert [d["field"] for d in out.json_body["error"]["details"]] == ["q"]


def test_a_200_character_question_is_still_answered(api: Api) -> None:
    assert _ask(api, ("身份证丢了" * 40)[:200]).status_code == 200


def test_an_id_number_typed_into_a_question_is_never_echoed(api: Api) -> None:
    out = _ask(api, "我的身份证11010519491231002X丢了")
    assert out.status_code == 200 and "11010519491231002X" not in out.body.decode()


def test_an_oa_follower_asking_a_question_gets_the_item_even_unbound(api: Api, clock: object) -> None:
    reply = _content(_post(api, _query(clock), _text("开小卖部要办什么证")).body)
    assert reply.startswith("您要办的可能是:\n个体工商户设立登记") and "请带居民身份证原件" in reply


def test_an_oa_follower_writing_nonsense_gets_help(api: Api, clock: object) -> None:
    reply = _content(_post(api, _query(clock), _text("哈哈哈哈")).body)
    assert reply.startswith("抱歉,没有找到与您的问题相符的事项") and "发送“进度 编号”查询办理进度" in reply


def _sms(svc: Services, queue: FakeQueue, body: str, sender: str = "+8613800138000") -> None:
    receive(load_event("sns/inbound_sms", FROM=sender, BODY=body, INBOUND_ID=secrets.token_hex(8)), None)
    drain(svc, queue)


def test_an_sms_question_is_answered_on_the_answer_template(svc: Services, queue: FakeQueue, sms: FakeSms) -> None:
    _sms(svc, queue, "驾照快过期了去哪换")
    sent = sms.sent[-1]
    assert sent["phone"] == "+8613800138000" and sent["template"] == "reply_answer_sms"
    assert sent["params"]["item_name"] == "机动车驾驶证期满换证"
    assert sent["text"].startswith("【民情直通车】您咨询的事项:机动车驾驶证期满换证。请带")


def test_an_sms_nobody_understands_gets_the_help_template(svc: Services, queue: FakeQueue, sms: FakeSms) -> None:
    _sms(svc, queue, "在吗")
    assert sms.sent[-1]["template"] == "reply_not_understood_sms" and "CX 编号" in sms.sent[-1]["text"]
