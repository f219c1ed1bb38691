"""``/v1/identity/*`` and ``/v1/me``: OTP rules, binding, masking, preferences."""

from __future__ import annotations

from shared.clock import FixedClock
from tests.helpers import OTHER_ID, VALID_ID, Api, FakeSms, no_pii


def test_otp_is_sent_by_sms_and_answers_202(api: Api, sms: FakeSms) -> None:
    out = api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, api.token())
    assert out.status_code == 202
    assert out.json_body == {"expires_in": 300}
    assert sms.sent[-1]["phone"] == "+8613800138000"
    assert len(sms.sent[-1]["params"]["code"]) == 6


def test_second_otp_within_60_seconds_is_rate_limited_with_retry_after(api: Api, clock: FixedClock) -> None:
    token = api.token()
    assert api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, token).status_code == 202
    clock.advance(seconds=20)
    again = api.call("POST", "/v1/identity/otp", {"phone": "+8613800138000"}, token)
    assert again.status_code == 429
    assert again.json_body["error"]["code"] == "rate_limited"
    assert again.headers["Retry-After"] == "40"
    clock.advance(seconds=41)
    assert api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, token).status_code == 202


def test_otp_rejects_a_non_mainland_phone_with_422(api: Api) -> None:
    out = api.call("POST", "/v1/identity/otp", {"phone": "12345"}, api.token())
    assert out.status_code == 422
    assert out.json_body["error"]["details"][0]["field"] == "phone"


def test_otp_needs_a_token(api: Api) -> None:
    out = api.call("POST", "/v1/identity/otp", {"phone": "13800138000"})
    assert out.status_code == 401
    assert out.json_body["error"]["code"] == "unauthorized"


def test_otp_provider_outage_is_503_and_leaves_nothing_behind(api: Api, sms: FakeSms) -> None:
    token = api.token()
    sms.fail = True
    out = api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, token)
    assert out.status_code == 503
    assert out.json_body["error"]["code"] == "unavailable"
    sms.fail = False
    assert api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, token).status_code == 202


def test_bind_creates_the_citizen_and_answers_a_masked_profile(api: Api) -> None:
    token = api.token("wechat_mini", "openid-1")
    out = api.bind(token)
    assert out.status_code == 200, out.body
    me = out.json_body["citizen"]
    assert me["id_number_masked"] == "110***********002X"
    assert me["name_masked"] == "张*"
    assert me["phone_masked"] == "138****8000"
    assert {(b["channel"], b["account"]) for b in me["bindings"]} == {("sms", "138****8000"),
                                                                       ("wechat_mini", "openid-1")}
    assert me["preferences"] == {"channels": ["wechat_mini", "sms"], "sms_opt_out": False, "locale": "zh-CN"}
    assert no_pii(out.body.decode())


def test_bind_rejects_a_bad_id_checksum_with_422_naming_the_field(api: Api) -> None:
    out = api.bind(api.token(), id_number="110105194912310021")
    assert out.status_code == 422
    assert out.json_body["error"]["details"] == [
        {"field": "id_number", "message": "Value error, not a valid resident ID number (GB 11643)"}]
    assert "110105194912310021" not in out.body.decode()


def test_bind_with_a_wrong_code_is_otp_invalid_and_five_tries_exhaust_it(api: Api, sms: FakeSms) -> None:
    token = api.token()
    api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, token)
    good = sms.last_code("+8613800138000")
    wrong = "000000" if good != "000000" else "111111"
    body = {"id_number": VALID_ID, "name": "张三", "phone": "13800138000"}
    for _ in range(5):
        out = api.call("POST", "/v1/identity/bind", {**body, "otp": wrong}, token)
        assert out.status_code == 401
        assert out.json_body["error"]["code"] == "otp_invalid"
    late = api.call("POST", "/v1/identity/bind", {**body, "otp": good}, token)
    assert late.status_code == 401
    assert late.json_body["error"]["code"] == "otp_invalid"


def test_an_expired_code_is_refused(api: Api, sms: FakeSms, clock: FixedClock) -> None:
    token = api.token()
    api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, token)
    clock.advance(seconds=301)
    out = api.call("POST", "/v1/identity/bind", {"id_number": VALID_ID, "name": "张三", "phone": "13800138000",
                                                 "otp": sms.last_code("+8613800138000")}, token)
    assert out.json_body["error"]["code"] == "otp_invalid"


def test_a_code_works_once(api: Api, sms: FakeSms) -> None:
    token = api.token()
    assert api.bind(token).status_code == 200
    reuse = api.call("POST", "/v1/identity/bind", {"id_number": VALID_ID, "name": "张三", "phone": "13800138000",
                                                   "otp": sms.last_code("+8613800138000")}, api.token())
    assert reuse.json_body["error"]["code"] == "otp_invalid"


def test_a_second_account_binds_to_the_same_citizen_found_by_id_number(api: Api, clock: FixedClock) -> None:
    assert api.bind(api.token("wechat_mini", "mini-1")).status_code == 200
    clock.advance(seconds=61)
    oa = api.token("wechat_oa", "oa-1")
    out = api.bind(oa)
    assert out.status_code == 200
    channels = {b["channel"] for b in out.json_body["citizen"]["bindings"]}
    assert channels == {"sms", "wechat_mini", "wechat_oa"}
    assert out.json_body["citizen"]["preferences"]["channels"] == ["wechat_mini", "wechat_oa", "sms"]


def test_binding_again_is_idempotent(api: Api, clock: FixedClock) -> None:
    token = api.token()
    assert api.bind(token).status_code == 200
    clock.advance(seconds=61)
    again = api.bind(token)
    assert again.status_code == 200
    assert len(again.json_body["citizen"]["bindings"]) == 2


def test_an_account_bound_to_one_citizen_cannot_bind_to_another(api: Api, clock: FixedClock) -> None:
    token = api.token()
    assert api.bind(token).status_code == 200
    clock.advance(seconds=61)
    out = api.bind(token, id_number=OTHER_ID, name="李四", phone="13900139000")
    assert out.status_code == 409


def test_bind_with_another_name_for_a_known_id_is_422(api: Api, clock: FixedClock) -> None:
    assert api.bind(api.token()).status_code == 200
    clock.advance(seconds=61)
    out = api.bind(api.token(), name="王五")
    assert out.status_code == 422
    assert out.json_body["error"]["details"][0]["field"] == "name"


def test_bind_from_another_phone_for_a_known_id_is_403(api: Api) -> None:
    assert api.bind(api.token()).status_code == 200
    out = api.bind(api.token(), phone="13900139000")
    assert out.status_code == 403


def test_me_of_an_unbound_account_is_403(api: Api) -> None:
    out = api.call("GET", "/v1/me", token=api.token())
    assert out.status_code == 403
    assert out.json_body["error"]["code"] == "forbidden"


def test_me_with_a_forged_token_is_401(api: Api) -> None:
    token = api.token()
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert api.call("GET", "/v1/me", token=forged).status_code == 401


def test_me_with_an_expired_token_is_401(api: Api, clock: FixedClock) -> None:
    token = api.citizen()
    clock.advance(seconds=7201)
    out = api.call("GET", "/v1/me", token=token)
    assert out.status_code == 401


def test_preferences_change_and_show_in_me(api: Api) -> None:
    token = api.citizen()
    out = api.call("PUT", "/v1/me/preferences", {"sms_opt_out": True, "locale": "en", "channels": ["sms"]}, token)
    assert out.status_code == 200
    assert out.json_body["preferences"] == {"channels": ["sms"], "sms_opt_out": True, "locale": "en"}
    assert api.call("GET", "/v1/me", token=token).json_body["preferences"]["locale"] == "en"


def test_preferences_reject_unknown_channels_and_locales(api: Api) -> None:
    token = api.citizen()
    bad = api.call("PUT", "/v1/me/preferences", {"channels": ["fax"], "locale": "fr"}, token)
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json_body["error"]["details"]} == {"channels.0", "locale"}
    dup = api.call("PUT", "/v1/me/preferences", {"channels": ["sms", "sms"]}, token)
    assert dup.status_code == 422


def test_a_mini_account_is_linked_to_the_citizen_bound_on_the_oa_with_the_same_unionid(api: Api) -> None:
    from shared.sessions import Principal

    oa = api.svc.identity.issue_token(Principal("wechat_oa", "oa-9", "union-9")).token
    assert api.bind(oa).status_code == 200
    mini = api.svc.identity.issue_token(Principal("wechat_mini", "mini-9", "union-9"))
    assert mini.bound is True
    me = api.call("GET", "/v1/me", token=mini.token).json_body
    assert {b["channel"] for b in me["bindings"]} == {"sms", "wechat_oa", "wechat_mini"}


def test_binding_links_the_persons_other_unbound_accounts(api: Api) -> None:
    from shared.sessions import Principal

    mini = api.svc.identity.issue_token(Principal("wechat_mini", "mini-8", "union-8"))
    assert mini.bound is False
    oa = api.svc.identity.issue_token(Principal("wechat_oa", "oa-8", "union-8")).token
    assert api.bind(oa).status_code == 200
    assert api.call("GET", "/v1/me", token=mini.token).status_code == 200
