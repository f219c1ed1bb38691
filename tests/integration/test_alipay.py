"""Alipay against the local world's gateway over HTTP: RSA2 both ways, login, consents, messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from channels.alipay.gateway import AlipayError, AlipayGateway, AlipaySignatureError
from channels.alipay.login import AlipayOAuth
from channels.alipay.notify import AlipayNotifier, render_data
from functions.bootstrap import Services
from infra.world.alipay_platform import AlipayWorld, canonical, generate_keypair, rsa2_sign, rsa2_verify
from infra.world.server import World, serve
from shared.errors import Unauthorized
from shared.ports import DeliveryFailed
from tests.helpers import Api


@pytest.fixture(scope="session")
def keys() -> dict[str, str]:
    app_private, app_public = generate_keypair()
    alipay_private, alipay_public = generate_keypair()
    return {"app_private": app_private, "app_public": app_public, "alipay_private": alipay_private,
            "alipay_public": alipay_public}


@pytest.fixture
def gateway_world(keys: dict[str, str]) -> Iterator[tuple[World, str]]:
    world = World(alipay=AlipayWorld(keys["app_public"], keys["alipay_private"]))
    server = serve(world, port=0)
    yield world, f"http://127.0.0.1:{server.server_address[1]}/alipay/gateway.do"
    server.shutdown()


@pytest.fixture
def gateway(keys: dict[str, str], gateway_world: tuple[World, str]) -> AlipayGateway:
    return AlipayGateway("2021000000000001", keys["app_private"], keys["alipay_public"], gateway_world[1])


def test_rsa2_signatures_verify_across_two_implementations(keys: dict[str, str]) -> None:
    from alipay import AliPay

    sdk = AliPay(appid="1", app_private_key_string=keys["app_private"], alipay_public_key_string=keys["app_public"])
    params = {"app_id": "1", "method": "alipay.system.oauth.token", "charset": "utf-8", "sign_type": "RSA2",
              "timestamp": "2026-09-28 10:00:00", "version": "1.0", "code": "abc", "grant_type": "authorization_code"}
    signed_by_sdk = sdk._sign(canonical(params))
    assert rsa2_verify(keys["app_public"], canonical(params), signed_by_sdk)
    assert signed_by_sdk == rsa2_sign(keys["app_private"], canonical(params))  # PKCS#1 v1.5 is deterministic
    assert not rsa2_verify(keys["app_public"], canonical({**params, "code": "abd"}), signed_by_sdk)


def test_login_returns_open_id_and_user_id(gateway: AlipayGateway) -> None:
    who = AlipayOAuth(gateway).exchange("code-1")
    user_id = who.ids["user_id"]
    assert user_id.startswith("2088") and len(user_id) == 16
    assert who.ids["open_id"] and who.account == who.ids["open_id"]
    assert who.previous_account == user_id


def test_an_app_not_yet_on_open_id_is_keyed_by_user_id(gateway: AlipayGateway) -> None:
    who = AlipayOAuth(gateway).exchange("uid-code-1")
    assert "open_id" not in who.ids and who.account == who.ids["user_id"]
    assert who.previous_account is None


def test_a_reused_auth_code_is_unauthorized(gateway: AlipayGateway) -> None:
    AlipayOAuth(gateway).exchange("code-2")
    with pytest.raises(Unauthorized):
        AlipayOAuth(gateway).exchange("code-2")


def test_a_request_signed_with_another_key_is_refused_by_the_gateway(keys: dict[str, str],
                                                                      gateway_world: tuple[World, str]) -> None:
    other_private, _ = generate_keypair()
    forged = AlipayGateway("2021000000000001", other_private, keys["alipay_public"], gateway_world[1])
    with pytest.raises(AlipayError) as exc:
        forged.call("alipay.system.oauth.token", None, grant_type="authorization_code", code="c")
    assert exc.value.sub_code == "isv.invalid-signature"


def test_a_tampered_or_foreign_answer_is_rejected(keys: dict[str, str], gateway_world: tuple[World, str]) -> None:
    _, stranger_public = generate_keypair()
    doubting = AlipayGateway("2021000000000001", keys["app_private"], stranger_public, gateway_world[1])
    with pytest.raises(AlipaySignatureError):
        doubting.call("alipay.system.oauth.token", None, grant_type="authorization_code", code="c-tamper")


def test_values_are_cut_to_50_characters() -> None:
    data = render_data("complaint_reply", {"complaint_no": "TS1", "reply": "回" * 80}, "zh-CN")
    assert len(data["keyword2"]["value"]) == 50 and data["keyword2"]["value"].endswith("…")


def _notifier(gateway: AlipayGateway, templates: dict[str, str]) -> AlipayNotifier:
    return AlipayNotifier(gateway, templates)


DATA = {"application_no": "SB20260928123456", "item_name": "居住证明开具", "status": "completed", "note": ""}


def test_a_one_time_subscription_message_is_sent_on_a_consent_credit(gateway: AlipayGateway,
                                                                     gateway_world: tuple[World, str]) -> None:
    notifier = _notifier(gateway, {"completion": "ALI-DONE"})
    assert notifier.consent_template("completion") == "ALI-DONE"
    notifier.deliver("completion", DATA, "0abc", "zh-CN")
    assert gateway_world[0].outbox[-1]["channel"] == "alipay" and gateway_world[0].outbox[-1]["to"] == "0abc"


def test_a_long_term_template_needs_no_credit(gateway: AlipayGateway, gateway_world: tuple[World, str]) -> None:
    notifier = _notifier(gateway, {"completion": "long:ALI-GOV"})
    assert notifier.consent_template("completion") is None
    notifier.deliver("completion", DATA, "2088000000000001", "zh-CN")
    message = gateway_world[0].outbox[-1]
    assert message["template"] == "ALI-GOV" and message["to"] == "2088000000000001"


@pytest.mark.parametrize(("sub_code", "permanent", "consent_gone"), [
    ("SYSTEM_ERROR", False, False), ("NO_SUBSCRIBE", True, True), ("USER_NOT_EXIST", True, False)])
def test_gateway_errors_say_whether_to_retry_and_whether_the_consent_is_gone(
        gateway: AlipayGateway, gateway_world: tuple[World, str], sub_code: str, permanent: bool,
        consent_gone: bool) -> None:
    gateway_world[0].faults["alipay"] = [{"errcode": sub_code}]
    with pytest.raises(DeliveryFailed) as exc:
        _notifier(gateway, {"completion": "ALI-DONE"}).deliver("completion", DATA, "0abc", "zh-CN")
    assert (exc.value.permanent, exc.value.consent_gone) == (permanent, consent_gone)


@pytest.fixture
def alipay_api(api: Api, svc: Services, gateway: AlipayGateway) -> Api:
    svc.identity.logins["alipay"] = AlipayOAuth(gateway)
    return api


def _login(api: Api, code: str) -> Any:
    return api.call("POST", "/v1/auth/alipay", {"auth_code": code})


def test_login_route_answers_a_token_for_the_open_id(alipay_api: Api) -> None:
    out = _login(alipay_api, "route-1")
    assert out.status_code == 200
    assert out.json_body["channel"] == "alipay" and out.json_body["bound"] is False


def test_login_route_refuses_a_reused_code_in_the_contract_shape(alipay_api: Api) -> None:
    _login(alipay_api, "route-2")
    out = _login(alipay_api, "route-2")
    assert out.status_code == 401
    assert out.json_body["error"]["code"] == "unauthorized"
    assert "isv" not in json.dumps(out.json_body)


def test_a_citizen_bound_under_user_id_keeps_binding_after_the_move_to_open_id(alipay_api: Api) -> None:
    before = _login(alipay_api, "uid-alice:1").json_body
    assert alipay_api.bind(before["token"]).status_code == 200
    after = _login(alipay_api, "alice:2").json_body
    assert after["bound"] is True
    me = alipay_api.call("GET", "/v1/me", token=after["token"]).json_body
    accounts = {b["account"] for b in me["bindings"] if b["channel"] == "alipay"}
    assert len(accounts) == 2 and any(a.startswith("2088") for a in accounts)


def test_an_unreachable_gateway_is_503_in_the_contract_shape(api: Api, svc: Services, keys: dict[str, str]) -> None:
    svc.identity.logins["alipay"] = AlipayOAuth(AlipayGateway(
        "2021000000000001", keys["app_private"], keys["alipay_public"], "http://127.0.0.1:9/alipay/gateway.do",
        timeout=2))
    out = _login(api, "any")
    assert out.status_code == 503
    assert out.json_body["error"]["code"] == "unavailable"


def test_requests_are_stamped_in_beijing_time_on_a_utc_host(gateway: AlipayGateway,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")  # Lambda's zone
    time.tzset()
    try:
        assert AlipayOAuth(gateway).exchange("code-utc").account
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_stale_timestamp_is_refused_by_the_gateway_with_an_error_response(
        gateway: AlipayGateway, monkeypatch: pytest.MonkeyPatch) -> None:
    from alipay import AliPay

    real = AliPay.build_body
    monkeypatch.setattr(AliPay, "build_body", lambda self, m, b=None, **kw: real(
        self, m, b, **{**kw, "timestamp": "2020-01-01 00:00:00"}))
    with pytest.raises(AlipayError) as exc:
        gateway.call("alipay.system.oauth.token", None, grant_type="authorization_code", code="c-stale")
    assert (exc.value.code, exc.value.sub_code) == ("40002", "isv.invalid-timestamp")
