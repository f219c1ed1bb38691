"""``/wechat/oa``: signatures, safe mode with key rotation, commands, retries, hostile XML."""

from __future__ import annotations

import json
import re
import urllib.parse
from datetime import datetime
from typing import Any

import pytest
from wechatpy.crypto import WeChatCrypto

from channels.wechat.crypto import signature
from functions.bootstrap import Services
from shared.clock import CST, FixedClock
from tests.helpers import Api, load_raw

TOKEN, APPID, KEY = "minqinglocal", "wxlocal0a0000000001", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OLD_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj"


def _query(clock: FixedClock, nonce: str = "n1", **extra: str) -> dict[str, str]:
    ts = str(int(clock.now().timestamp()))
    return {"signature": signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": "fromUser", **extra}


def _post(api: Api, query: dict[str, str], body: bytes) -> Any:
    return api.client.http.post("/wechat/oa?" + urllib.parse.urlencode(query), body=body,
                                headers={"Content-Type": "text/xml"})


def _text(content: str, msg_id: str = "1234567890123456", sender: str = "fromUser") -> bytes:
    raw = load_raw("wechat/oa_text.xml").decode()
    return raw.replace("this is a test", content).replace("1234567890123456", msg_id) \
        .replace("fromUser", sender).encode()


def _content(reply: bytes) -> str:
    return re.search(r"<Content><!\[CDATA\[(.*?)\]\]></Content>", reply.decode(), re.S).group(1)


def _inbound_items(svc: Services) -> list[dict[str, Any]]:
    out = svc.table.client.scan(TableName=svc.table.name)["Items"]
    return [i for i in out if i["pk"]["S"].startswith("INBOUND#")]


@pytest.fixture
def bound_oa(api: Api) -> str:
    """An OA follower ``fromUser`` bound to a citizen with one application; returns its number."""
    token = api.token("wechat_oa", "fromUser")
    assert api.bind(token).status_code == 200
    return api.submit(token).json_body["application_no"]


def test_server_verification_echoes_echostr(api: Api, clock: FixedClock) -> None:
    query = urllib.parse.urlencode({**_query(clock), "echostr": "5837397749904"})
    out = api.client.http.get(f"/wechat/oa?{query}")
    assert out.status_code == 200 and out.body == b"5837397749904"


def test_server_verification_with_a_forged_signature_is_401(api: Api, clock: FixedClock) -> None:
    query = urllib.parse.urlencode({**_query(clock), "signature": "0" * 40, "echostr": "x"})
    assert api.client.http.get(f"/wechat/oa?{query}").status_code == 401


def test_wechats_sample_text_from_an_unbound_user_is_told_how_to_bind(api: Api, clock: FixedClock) -> None:
    out = _post(api, _query(clock), _text("进度"))
    assert out.status_code == 200
    assert "绑定" in _content(out.body)
    assert "<ToUserName><![CDATA[fromUser]]></ToUserName>" in out.body.decode()


def test_progress_command_answers_the_status(api: Api, clock: FixedClock, bound_oa: str) -> None:
    out = _post(api, _query(clock), _text(f"进度\u3000{bound_oa}"))
    assert _content(out.body) == f"{bound_oa} 居住证明开具:已提交"


def test_progress_alone_lists_the_latest(api: Api, clock: FixedClock, bound_oa: str) -> None:
    out = _post(api, _query(clock), load_raw("wechat/oa_event_click.xml").replace(b"EVENTKEY", b"PROGRESS")
                .replace(b"[FromUser]", b"[fromUser]"))
    assert bound_oa in _content(out.body)


def test_a_forged_signature_is_401_and_stores_nothing(api: Api, clock: FixedClock, svc: Services) -> None:
    out = _post(api, {**_query(clock), "signature": "f" * 40}, _text("投诉 太慢"))
    assert out.status_code == 401
    assert _inbound_items(svc) == []


def test_a_stale_timestamp_is_401(api: Api, clock: FixedClock) -> None:
    query = _query(clock)
    clock.advance(seconds=301)
    assert _post(api, query, _text("进度")).status_code == 401


def test_three_deliveries_of_one_complaint_file_one_and_answer_the_same(api: Api, clock: FixedClock,
                                                                      bound_oa: str, svc: Services) -> None:
    answers = [_content(_post(api, _query(clock, nonce=f"n{i}"), _text("投诉 窗口排队太久")).body) for i in range(3)]
    assert len(set(answers)) == 1 and "已登记" in answers[0]
    assert len(svc.complaints.list_by_status("registered")) == 1


def test_rating_by_text_after_completion(api: Api, clock: FixedClock, bound_oa: str) -> None:
    api.walk(bound_oa, "accepted", "in_review", "completed")
    out = _post(api, _query(clock), _text(f"评价 {bound_oa} 5 办事很快"))
    assert _content(out.body) == "感谢您的评价:非常满意。"
    again = _post(api, _query(clock, nonce="n2"), _text(f"评价 {bound_oa} 4", msg_id="99"))
    assert "已评价" in _content(again.body)


def test_an_unknown_message_type_is_answered_with_help(api: Api, clock: FixedClock) -> None:
    out = _post(api, _query(clock), load_raw("wechat/oa_image.xml"))
    assert "进度" in _content(out.body)


def test_an_event_that_needs_no_answer_gets_success(api: Api, clock: FixedClock) -> None:
    out = _post(api, _query(clock), load_raw("wechat/oa_event_click.xml").replace(b"CLICK", b"VIEW"))
    assert out.body == b"success"


@pytest.mark.parametrize("sample", ["billion_laughs.xml", "external_entity.xml"])
def test_hostile_xml_is_400_and_stores_nothing(api: Api, clock: FixedClock, svc: Services, sample: str) -> None:
    out = _post(api, _query(clock), load_raw(f"wechat/{sample}"))
    assert out.status_code == 400
    assert _inbound_items(svc) == []


@pytest.mark.parametrize("body", [b"", b"not xml", b"<root><a>1</a></root>", b"<xml><MsgType>text</MsgType></xml>",
                                  b"<xml>" + b"<a>x</a>" * 9000 + b"</xml>"])
def test_malformed_or_oversized_bodies_are_4xx(api: Api, clock: FixedClock, svc: Services, body: bytes) -> None:
    out = _post(api, _query(clock), body)
    assert 400 <= out.status_code < 500
    assert _inbound_items(svc) == []


def test_wechats_encrypted_sample_is_decrypted_and_answered_encrypted(api: Api, clock: FixedClock,
                                                                       bound_oa: str) -> None:
    query = json.loads(load_raw("wechat/oa_encrypted_text.query.json"))
    clock.at = datetime.fromtimestamp(int(query["timestamp"]), CST)
    out = _post(api, {**query, "openid": "fromUser"}, load_raw("wechat/oa_encrypted_text.xml"))
    assert out.status_code == 200, out.body
    decrypted = WeChatCrypto(TOKEN, KEY, APPID).decrypt_message(
        out.body.decode(), re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]>", out.body.decode()).group(1),
        query["timestamp"], query["nonce"])
    assert bound_oa in _content(decrypted.encode())


def test_safe_mode_with_a_bad_msg_signature_is_401(api: Api, clock: FixedClock) -> None:
    query = json.loads(load_raw("wechat/oa_encrypted_text.query.json"))
    clock.at = datetime.fromtimestamp(int(query["timestamp"]), CST)
    out = _post(api, {**query, "msg_signature": "0" * 40}, load_raw("wechat/oa_encrypted_text.xml"))
    assert out.status_code == 401


def test_a_message_under_the_previous_aes_key_is_accepted_during_rotation(api: Api, svc: Services,
                                                                        clock: FixedClock) -> None:
    from channels.wechat.crypto import MessageCrypto

    svc.wechat_oa.crypto = MessageCrypto(TOKEN, APPID, [KEY, OLD_KEY])
    ts, nonce = str(int(clock.now().timestamp())), "rot"
    envelope = WeChatCrypto(TOKEN, OLD_KEY, APPID).encrypt_message(_text("绑定").decode(), nonce, ts)
    enc = re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]>", envelope).group(1)
    sig = re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]>", envelope).group(1)
    query = {**_query(clock, nonce=nonce), "encrypt_type": "aes", "msg_signature": sig}
    out = _post(api, query, f"<xml><ToUserName>toUser</ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt></xml>".encode())
    assert out.status_code == 200
    reply = WeChatCrypto(TOKEN, KEY, APPID).decrypt_message(out.body.decode(), re.search(
        r"<MsgSignature><!\[CDATA\[(.*?)\]\]>", out.body.decode()).group(1), ts, nonce)
    assert "channel=wechat_oa" in _content(reply.encode())


def test_progress_answers_in_the_citizens_locale(api: Api, clock: FixedClock, bound_oa: str) -> None:
    token = api.token("wechat_oa", "fromUser")
    assert api.call("PUT", "/v1/me/preferences", {"locale": "en"}, token).status_code == 200
    out = _post(api, _query(clock), _text(f"进度 {bound_oa}", msg_id="77"))
    assert _content(out.body) == f"{bound_oa} 居住证明开具: Submitted"


def test_progress_of_anothers_application_is_not_found(api: Api, clock: FixedClock, bound_oa: str) -> None:
    out = _post(api, _query(clock), _text(f"进度 {bound_oa}", msg_id="78", sender="someoneElse"))
    assert "绑定" in _content(out.body)
    other = api.token("wechat_oa", "someoneElse")
    clock.advance(seconds=61)
    assert api.bind(other, id_number="440524188001010014", name="李四", phone="13900139000").status_code == 200
    out = _post(api, _query(clock), _text(f"进度 {bound_oa}", msg_id="79", sender="someoneElse"))
    assert "未找到" in _content(out.body)


def test_a_plaintext_message_to_a_safe_mode_account_is_401_and_stores_nothing(api: Api, clock: FixedClock,
                                                                              svc: Services) -> None:
    svc.wechat_oa.mode = "safe"
    out = _post(api, _query(clock), _text("进度"))
    assert out.status_code == 401 and _inbound_items(svc) == []


def test_a_signature_replayed_with_another_body_is_401_while_wechats_retry_is_answered(
        api: Api, clock: FixedClock, bound_oa: str) -> None:
    query = _query(clock, nonce="replayed")
    first = _post(api, query, _text(f"进度 {bound_oa}", msg_id="501"))
    retry = _post(api, query, _text(f"进度 {bound_oa}", msg_id="501"))  # WeChat's own retry: the same body
    assert first.status_code == retry.status_code == 200 and _content(first.body) == _content(retry.body)
    forged = _post(api, query, _text("进度", msg_id="502", sender="victim"))
    assert forged.status_code == 401 and bound_oa not in forged.body.decode()


def test_a_rating_with_a_long_comment_or_a_huge_level_gets_a_clear_answer_once(api: Api, clock: FixedClock,
                                                                               bound_oa: str) -> None:
    api.walk(bound_oa, "accepted", "in_review", "completed")
    long = _post(api, _query(clock, nonce="long1"), _text(f"评价 {bound_oa} 5 " + "办" * 600, msg_id="601"))
    assert long.status_code == 200 and _content(long.body) == "感谢您的评价:非常满意。"
    huge = _post(api, _query(clock, nonce="huge1"), _text("评价 SB1 " + "9" * 5000, msg_id="602"))
    assert huge.status_code == 200 and "1-5" in _content(huge.body)
