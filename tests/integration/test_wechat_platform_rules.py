"""WeChat's own rules, enforced by the local world, and what Minqing does about each: value classes
in every locale, the OA's IP whitelist (40164), stable_token normal/force semantics shared with
another system, expired tokens (42001) and the snapshot page's virtual users."""

from __future__ import annotations

import logging

import pytest

from channels.wechat.access_tokens import AccessTokenStore
from channels.wechat.api import WeChatApi, stable_token_fetcher
from channels.wechat.login import OaWebOAuth
from channels.wechat.notify import MiniSubscribeNotifier, OaTemplateNotifier
from functions.bootstrap import Services
from infra.world.server import World
from shared.clock import FixedClock
from shared.errors import Forbidden
from shared.ports import DeliveryFailed
from shared.storage.dynamo import Table

OA, MINI = "wxoa-rules", "wxmini-rules"
DATA = {"application_no": "SB20260928123456", "item_name": "Residence certificate", "status": "completed",
        "note": "Collect it at window 3", "kind": "driving_licence", "expires_on": "2026-12-31"}


def _api(table: Table, base: str, clock: FixedClock, appid: str) -> WeChatApi:
    return WeChatApi(base, AccessTokenStore(table, appid, stable_token_fetcher(base, appid, "secret"), clock))


@pytest.mark.parametrize("kind", ["completion", "supplement_required", "expiry_reminder", "rating_invite"])
def test_english_notices_are_accepted_by_wechats_value_classes(svc: Services, world: tuple[World, str],
                                                                kind: str) -> None:
    w, base = world
    templates = {kind: "TPL"}
    MiniSubscribeNotifier(_api(svc.table, base, svc.clock, MINI), templates).deliver(  # type: ignore[arg-type]
        kind, DATA, "o-en", "en")
    OaTemplateNotifier(_api(svc.table, base, svc.clock, OA), templates).deliver(kind, DATA, "o-en", "en")  # type: ignore[arg-type]
    assert [m["channel"] for m in w.outbox] == ["wechat_mini", "wechat_oa"]
    if kind == "expiry_reminder":
        assert w.outbox[-1]["data"]["date2"]["value"] == "2026年12月31日"
    if kind == "completion":
        assert w.outbox[-1]["data"]["phrase3"]["value"] == "已办结"


def test_an_oa_ip_off_the_whitelist_is_a_permanent_alarmed_failure(svc: Services, world: tuple[World, str],
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    w, base = world
    w.wechat.whitelists[OA] = {"203.0.113.7"}
    notifier = OaTemplateNotifier(_api(svc.table, base, svc.clock, OA), {"completion": "TPL"})  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO), pytest.raises(DeliveryFailed) as failed:
        notifier.deliver("completion", DATA, "o-oa", "zh-CN")
    assert failed.value.permanent and "40164" in failed.value.detail and "whitelist" in failed.value.detail
    assert any(r.getMessage() == "metric WeChatIpNotWhitelisted" for r in caplog.records)
    assert not w.outbox


def test_the_mini_program_needs_no_whitelist(svc: Services, world: tuple[World, str]) -> None:
    w, base = world
    w.wechat.whitelists[OA] = {"203.0.113.7"}
    MiniSubscribeNotifier(_api(svc.table, base, svc.clock, MINI), {"completion": "TPL"}).deliver(  # type: ignore[arg-type]
        "completion", DATA, "o-1", "zh-CN")
    assert w.outbox[-1]["channel"] == "wechat_mini"


def test_a_system_sharing_the_appid_is_not_logged_out_by_our_recovery(svc: Services, table: Table,
                                                                      world: tuple[World, str]) -> None:
    w, base = world
    ours = _api(svc.table, base, svc.clock, MINI)
    body = {"touser": "o1", "template_id": "T", "data": {"thing1": {"value": "ok"}}}
    assert ours.post("/cgi-bin/message/subscribe/send", body)["errcode"] == 0
    w.wechat.advance(31)
    theirs = stable_token_fetcher(base, MINI, "secret")(True)[0]  # the other system forces a refresh
    w.wechat.advance(31)
    assert ours.post("/cgi-bin/message/subscribe/send", body)["errcode"] == 0  # 40001, then recovered
    send = {**body, "access_token": theirs}
    assert w.wechat.check(send["access_token"])[0] == 0  # their token still works
    assert w.wechat.forced_today(MINI) == 1  # only theirs: we asked in normal mode
    assert len(w.outbox) == 2


def test_an_expired_token_answers_42001_and_is_replaced(svc: Services, world: tuple[World, str]) -> None:
    w, base = world
    api = _api(svc.table, base, svc.clock, MINI)
    body = {"touser": "o1", "template_id": "T", "data": {"thing1": {"value": "ok"}}}
    token = api.tokens.get()
    w.wechat.advance(7201)
    assert w.wechat.check(token)[0] == 42001
    assert api.post("/cgi-bin/message/subscribe/send", body)["errcode"] == 0


def test_a_snapshot_page_user_is_refused_at_login(world: tuple[World, str]) -> None:
    _, base = world
    with pytest.raises(Forbidden, match="使用完整服务"):
        OaWebOAuth(base, OA, "secret").exchange("snapshot-abc")
    assert OaWebOAuth(base, OA, "secret").exchange("real-abc").account
