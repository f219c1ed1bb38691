"""Generated hostile input at every route and parser, through the real handlers (hypothesis, a fixed
example budget): never a 5xx, and a refused request stores nothing (anti-replay and rate-limit ledgers,
which must record refused requests too, aside)."""

from __future__ import annotations

import json
import secrets
import string
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.wechat.crypto import signature
from functions.bootstrap import Services
from shared.services.backend_auth import sign
from tests.helpers import Api

BUDGET = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
LEDGERS = ("NONCE#", "WXREQ#", "OTPACC#", "OTPALL#", "SMSLIMIT#", "WXTOKEN#")
FIELDS = ["item_code", "form", "phone", "id_number", "name", "otp", "level", "comment", "content", "status", "note",
          "department", "reply", "template_ids", "channels", "locale", "sms_opt_out", "kind", "number", "expires_on",
          "code", "auth_code", "application_no", "purpose"]
HOSTILE = "进度评价投诉０１２３Ｘ٣\u200b\u202e\ufeff\x00¹"
TEXT = st.text(alphabet=st.sampled_from(string.printable + HOSTILE), max_size=40)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True), TEXT,
                    st.sampled_from(["11010519491231002X", "13800138000", "completed", "V-CW-001", "wechat_mini",
                                     "9" * 5000, "2026-13-45"]))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.sampled_from(FIELDS) | TEXT, inner,
                                                                     max_size=5)), max_leaves=12)
BODIES = st.one_of(JSON.map(lambda v: json.dumps(v, ensure_ascii=False).encode()), st.binary(max_size=200),
                   st.just(b'{"a":' * 3000 + b"1" + b"}" * 3000), st.just(b""))
ROUTES = sorted((path, method) for path, methods in __import__("app").app.routes.items() for method in methods)


def _state(svc: Services) -> set[str]:
    """Every stored item but the ledgers of refused requests, as comparable text."""
    items = svc.table.client.scan(TableName=svc.table.name)["Items"]
    return {json.dumps(i, sort_keys=True) for i in items if not i["pk"]["S"].startswith(LEDGERS)}


def _path(template: str, values: list[str]) -> str:
    parts, i = [], 0
    for segment in template.split("/"):
        if segment.startswith("{"):
            parts.append(urllib.parse.quote(values[i] or "x", safe=""))
            i += 1
        else:
            parts.append(segment)
    return "/".join(parts)


@pytest.mark.parametrize(("route", "method"), ROUTES)
def test_no_generated_request_is_a_5xx_or_leaves_state_when_refused(api: Api, svc: Services, route: str,
                                                                     method: str) -> None:
    citizen = api.citizen()

    @BUDGET
    @given(params=st.lists(TEXT, min_size=3, max_size=3), query=st.dictionaries(TEXT, TEXT, max_size=3),
           body=BODIES, auth=st.sampled_from(["none", "citizen", "garbage", "signed"]),
           content_type=st.sampled_from(["application/json", "text/xml", "text/plain", ""]))
    def one(params: list[str], query: dict[str, str], body: bytes, auth: str, content_type: str) -> None:
        path = _path(route, params)
        if query:
            path += "?" + urllib.parse.urlencode(query)
        headers = {"Content-Type": content_type} if content_type else {}
        if auth == "citizen":
            headers["Authorization"] = f"Bearer {citizen}"
        elif auth == "garbage":
            headers.update({"Authorization": "Bearer " + body[:40].decode("latin-1"), "X-Minqing-Timestamp": "¹",
                            "X-Minqing-Nonce": "x" * 9, "X-Minqing-Signature": "zz"})
        elif auth == "signed":
            ts, nonce = str(int(svc.clock.now().timestamp())), secrets.token_hex(8)
            headers.update({"X-Minqing-Timestamp": ts, "X-Minqing-Nonce": nonce, "X-Minqing-Signature": sign(
                svc.settings.backend_hmac_key.get_secret_value(), ts, nonce, method, path, body)})
            if route == "/wechat/oa":
                path = route + "?" + urllib.parse.urlencode({"signature": signature("minqinglocal", ts, nonce),
                                                             "timestamp": ts, "nonce": nonce})
        headers.setdefault("Idempotency-Key", secrets.token_hex(4))
        before = _state(svc)
        out = api.client.http.request(method, path, headers=headers, body=body)
        assert out.status_code < 500, (out.status_code, out.body[:300])
        if out.status_code >= 400:
            assert _state(svc) == before, "a refused request stored something"

    one()


XML_FIELDS = st.dictionaries(st.sampled_from(["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content",
                                              "MsgId", "Event", "EventKey", "Encrypt"]), TEXT, max_size=8)


@BUDGET
@given(fields=XML_FIELDS, content=TEXT, wrap=st.booleans())
def test_generated_oa_messages_never_fail_the_endpoint(api: Api, svc: Services, fields: dict[str, str],
                                                       content: str, wrap: bool) -> None:
    fields = {"MsgType": "text", "Content": content, **fields}
    inner = "".join(f"<{k}><![CDATA[{v.replace(']]>', '')}]]></{k}>" for k, v in fields.items())
    xml = (f"<xml>{inner}</xml>" if wrap else inner).encode("utf-8", "replace")
    ts, nonce = str(int(svc.clock.now().timestamp())), secrets.token_hex(6)
    query = urllib.parse.urlencode({"signature": signature("minqinglocal", ts, nonce), "timestamp": ts,
                                    "nonce": nonce})
    out = api.client.http.post(f"/wechat/oa?{query}", body=xml, headers={"Content-Type": "text/xml"})
    assert out.status_code < 500, out.body[:300]


@BUDGET
@given(text=st.one_of(TEXT, st.sampled_from(["CX", "PJ", "TD", "评价 SB1 " + "9" * 5000, "TS " + "投" * 3000])),
       sender=st.sampled_from(["+8613800138000", "+8613900000000", "12345", "", "＋８６１３８００１３８０００"]))
def test_generated_sms_texts_are_answered_without_an_error(api: Api, svc: Services, text: str,
                                                           sender: str) -> None:
    from functions.sms_inbound import receive
    from tests.helpers import load_event

    event = load_event("sns/inbound_sms", FROM="+8613800138000", BODY="x", INBOUND_ID=secrets.token_hex(6))
    event["Records"][0]["Sns"]["Message"] = json.dumps({"originationNumber": sender, "messageBody": text,
                                                        "inboundMessageId": secrets.token_hex(6)})
    receive(event, None)  # any exception here would be retried by SNS and dead-lettered
