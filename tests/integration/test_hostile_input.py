"""Hostile input gets a clear 4xx, one ID is one person, and nothing echoes what it must mask
(issue 12, rows 1, 2, 3, 7, 8 and 9)."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest

from channels.wechat.crypto import signature
from functions.bootstrap import Services
from shared.clock import FixedClock
from tests.helpers import VALID_ID, Api, FakeSms, no_pii

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _bind(api: Api, sms: FakeSms, token: str, id_number: str, phone: str, name: str = "张三") -> Any:
    out = api.call("POST", "/v1/identity/otp", {"phone": phone}, token)
    if out.status_code != 202:
        return out
    code = sms.last_code(sms.sent[-1]["phone"])
    return api.call("POST", "/v1/identity/bind", {"id_number": id_number, "name": name, "phone": phone,
                                                  "otp": code}, token)


def test_a_full_width_id_and_phone_are_the_same_person(api: Api, sms: FakeSms, clock: FixedClock) -> None:
    first = api.token()
    assert _bind(api, sms, first, VALID_ID, "13800138000").status_code == 200
    clock.advance(seconds=61)
    second = api.token()
    out = _bind(api, sms, second, VALID_ID.translate(FULL_WIDTH), "１３８００１３８０００")
    assert out.status_code == 200, out.json_body
    assert sms.sent[-1]["phone"] == "+8613800138000"
    bindings = api.call("GET", "/v1/me", token=first).json_body["bindings"]
    assert len([b for b in bindings if b["channel"] == "wechat_mini"]) == 2  # one resident, both accounts


@pytest.mark.parametrize(("field", "digits"), [("id_number", ARABIC_INDIC), ("phone", ARABIC_INDIC),
                                               ("phone", str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))])
def test_other_digit_scripts_are_422(api: Api, sms: FakeSms, field: str, digits: dict[int, int]) -> None:
    token = api.token()
    id_number = VALID_ID[:17].translate(digits) + "X" if field == "id_number" else VALID_ID
    phone = "13800138000".translate(digits) if field == "phone" else "13800138000"
    out = _bind(api, sms, token, id_number, phone)
    assert out.status_code == 422 and out.json_body["error"]["details"][0]["field"] == field


@pytest.mark.parametrize("stamp", ["9" * 5000, "¹", "１７９０５６０８００", "-1", "1e9"],
                         ids=["5000 digits", "superscript one", "full-width", "negative", "exponent"])
def test_a_timestamp_that_is_not_plain_seconds_is_401(api: Api, stamp: str) -> None:
    headers = {"X-Minqing-Timestamp": stamp, "X-Minqing-Nonce": "abcdefgh12", "X-Minqing-Signature": "0" * 64}
    out = api.client.http.get("/backend/v1/complaints", headers=headers)
    assert out.status_code == 401 and json.loads(out.body)["error"]["code"] == "unauthorized"


def test_a_token_whose_expiry_is_not_a_number_is_401(api: Api, svc: Services) -> None:
    import jwt

    forged = jwt.encode({"iss": "minqing", "sub": "o1", "ch": "wechat_mini", "iat": 1, "exp": "soon"},
                        svc.settings.session_key.get_secret_value(), algorithm="HS256")
    assert api.call("GET", "/v1/me", token=forged).status_code == 401


@pytest.mark.parametrize("path", ["/v1/auth/wechat-mini", "/v1/identity/otp", "/v1/applications"])
def test_json_nested_thousands_deep_is_400(api: Api, path: str) -> None:
    body = ('{"a":' * 5000 + "1" + "}" * 5000).encode()
    out = api.client.http.post(path, body=body, headers={"Content-Type": "application/json",
                                                         "Authorization": f"Bearer {api.citizen()}",
                                                         "Idempotency-Key": "k1"})
    assert out.status_code == 400 and json.loads(out.body)["error"]["code"] == "bad_request"


def test_a_utf16_body_with_an_internal_entity_is_400(api: Api, clock: FixedClock) -> None:
    ts = str(int(clock.now().timestamp()))
    query = {"signature": signature("minqinglocal", ts, "n1"), "timestamp": ts, "nonce": "n1"}
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE xml [<!ENTITY e "进度">]>'
           "<xml><ToUserName>a</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime>"
           "<MsgType>text</MsgType><Content>&e;</Content><MsgId>1</MsgId></xml>").encode("utf-16")
    out = api.client.http.post("/wechat/oa?" + urllib.parse.urlencode(query), body=xml,
                               headers={"Content-Type": "text/xml"})
    assert out.status_code == 400


def test_an_id_number_in_a_path_is_not_echoed(api: Api) -> None:
    out = api.call("GET", f"/v1/applications/{VALID_ID}", token=api.citizen())
    assert out.status_code == 404 and VALID_ID not in out.body.decode() and "002X" in out.body.decode()


def test_an_id_number_asked_for_in_chat_is_masked_in_the_reply(api: Api, svc: Services) -> None:
    from shared.contract.intents import parse_command
    from shared.sessions import Principal

    token = api.token("wechat_oa", "o-mask")
    assert api.bind(token).status_code == 200
    answer = svc.conversation.answer(Principal("wechat_oa", "o-mask"), parse_command(f"进度 {VALID_ID}"))
    assert VALID_ID not in answer and "110***********002X" in answer


def test_ids_and_phones_in_a_complaint_are_masked_for_operators(api: Api) -> None:
    token = api.citizen()
    text = f"我的身份证{VALID_ID},电话13912345678,窗口不受理"
    assert api.call("POST", "/v1/complaints", {"content": text}, token).status_code == 201
    body = api.backend("GET", "/backend/v1/complaints?status=registered").body.decode()
    assert no_pii(body) and "139****5678" in body


def test_a_required_form_field_of_only_a_zero_width_space_is_422(api: Api) -> None:
    out = api.call("POST", "/v1/applications", {"item_code": "V-CW-001", "form": {"purpose": "\u200b"}},
                   api.citizen(), {"Idempotency-Key": "zw-1"})
    assert out.status_code == 422 and out.json_body["error"]["details"][0]["field"] == "form.purpose"


def test_one_account_asking_codes_for_many_phones_is_stopped(api: Api, sms: FakeSms) -> None:
    token = api.token()
    answers = [api.call("POST", "/v1/identity/otp", {"phone": f"1390000{n:04d}"}, token) for n in range(15)]
    assert [a.status_code for a in answers[:5]] == [202] * 5
    assert {a.status_code for a in answers[5:]} == {429}
    assert int(answers[5].headers["Retry-After"]) > 0 and len(sms.sent) == 5


def test_a_burst_from_many_accounts_meets_the_global_ceiling(api: Api, svc: Services, sms: FakeSms) -> None:
    svc.identity.otp.global_per_minute = 3
    answers = [api.call("POST", "/v1/identity/otp", {"phone": f"1370000{n:04d}"}, api.token()) for n in range(5)]
    assert [a.status_code for a in answers] == [202, 202, 202, 429, 429]
    assert "Retry-After" in answers[3].headers and len(sms.sent) == 3


def test_a_number_the_provider_calls_illegal_is_422(api: Api, svc: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    from channels.sms.aliyun import AliyunSmsSender
    from infra.world.server import World, serve
    from infra.world.sms_platform import SmsWorld

    world = World(sms=SmsWorld("LTAI-t", "secret-t", "民情直通车"))
    server = serve(world, port=0)
    try:
        sender = AliyunSmsSender("LTAI-t", "secret-t", "民情直通车", {"otp": "SMS_LOCAL_OTP"},
                                 f"http://127.0.0.1:{server.server_address[1]}/aliyun/sms")
        monkeypatch.setattr(svc.identity.otp, "sms", sender)
        world.faults["sms"] = [{"errcode": "isv.MOBILE_NUMBER_ILLEGAL"}]
        out = api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, api.token())
    finally:
        server.shutdown()
    assert out.status_code == 422 and out.json_body["error"]["details"][0]["field"] == "phone"


def test_replaying_an_idempotency_key_after_withdrawal_answers_the_current_state(api: Api) -> None:
    token = api.citizen()
    body = {"item_code": "V-CW-001", "form": {"purpose": "入学"}}
    first = api.call("POST", "/v1/applications", body, token, {"Idempotency-Key": "same-key-1"})
    no = first.json_body["application_no"]
    assert api.call("POST", f"/v1/applications/{no}/withdraw", None, token).status_code == 200
    again = api.call("POST", "/v1/applications", body, token, {"Idempotency-Key": "same-key-1"})
    assert again.json_body["application_no"] == no and again.json_body["status"] == "withdrawn"


def test_a_phone_after_a_newline_is_masked_and_identifiers_come_back_exactly(api: Api) -> None:
    token = api.citizen()
    assert api.call("POST", "/v1/complaints", {"content": "经办人电话:\n13812345678"}, token).status_code == 201
    body = api.backend("GET", "/backend/v1/complaints?status=registered").body.decode()
    assert "13812345678" not in body and "138****5678" in body
    unified_code = "913301007045000170"  # an all-digit licence id chosen by a county's system
    out = api.backend("PUT", f"/backend/v1/licences/{unified_code}", {"id_number": VALID_ID, "kind": "id_card",
                                                                      "number": "X1", "expires_on": "2030-01-01"})
    assert out.status_code == 200 and out.json_body["licence"]["licence_id"] == unified_code


def test_refused_resends_do_not_use_up_an_accounts_codes(api: Api, sms: FakeSms, clock: FixedClock) -> None:
    token = api.token()
    taps = [api.call("POST", "/v1/identity/otp", {"phone": "13900000001"}, token).status_code for _ in range(5)]
    assert taps == [202, 429, 429, 429, 429]
    later = [api.call("POST", "/v1/identity/otp", {"phone": f"1390000001{n}"}, token).status_code for n in range(4)]
    assert later == [202] * 4 and len(sms.sent) == 5
