"""WeChat outbound against the local world over HTTP: the shared token store, 40001 recovery,
subscribe messages with consent credits, 43101, field limits."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from channels.wechat.access_tokens import AccessTokenStore
from channels.wechat.api import WeChatApi, stable_token_fetcher
from channels.wechat.notify import MiniSubscribeNotifier, render_fields
from functions.bootstrap import Services
from infra.world.server import World
from shared.clock import FixedClock
from shared.ports import DeliveryFailed
from shared.storage.dynamo import Table


def _store(table: Table, base: str, clock: FixedClock) -> AccessTokenStore:
    return AccessTokenStore(table, "wxmini", stable_token_fetcher(base, "wxmini", "secret"), clock)


def test_twenty_threads_asking_at_once_cause_exactly_one_fetch(table: Table, clock: FixedClock,
                                                               world: tuple[World, str]) -> None:
    w, base = world
    store = _store(table, base, clock)
    barrier, tokens = threading.Barrier(20), []

    def ask() -> None:
        barrier.wait()
        tokens.append(store.get())

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert w.token_fetches == 1
    assert len(tokens) == 20 and len(set(tokens)) == 1


def test_a_token_near_expiry_is_refreshed_ahead(table: Table, clock: FixedClock, world: tuple[World, str]) -> None:
    w, base = world
    store = _store(table, base, clock)
    first = store.get()
    clock.advance(seconds=7200 - 299)
    w.wechat.advance(7200 - 299)  # WeChat renews a stable token in its last 5 minutes
    assert store.get() != first
    assert w.token_fetches == 2


def test_a_revoked_token_is_replaced_once_and_the_call_succeeds(table: Table, clock: FixedClock,
                                                                world: tuple[World, str]) -> None:
    w, base = world
    api = WeChatApi(base, _store(table, base, clock))
    body = {"touser": "o1", "template_id": "T", "data": {"thing1": {"value": "ok"}}}
    assert api.post("/cgi-bin/message/subscribe/send", body)["errcode"] == 0
    w.revoke_tokens()
    assert api.post("/cgi-bin/message/subscribe/send", body)["errcode"] == 0
    assert w.token_fetches == 2
    assert len(w.outbox) == 2


def test_a_failing_token_fetch_releases_the_lock(table: Table, clock: FixedClock, world: tuple[World, str]) -> None:
    w, base = world
    store = _store(table, base, clock)
    w.faults["wechat_token"] = [{"errcode": -1}]
    with pytest.raises(Exception, match="stable_token"):
        store.get()
    assert store.get().startswith("LOCAL_")


@pytest.fixture
def mini(svc: Services, world: tuple[World, str]) -> tuple[MiniSubscribeNotifier, World]:
    w, base = world
    api = WeChatApi(base, _store(svc.table, base, svc.clock))  # type: ignore[arg-type]
    return MiniSubscribeNotifier(api, {"completion": "TPL-DONE"}), w


DATA = {"application_no": "SB20260928123456", "item_name": "农村土地承包经营权流转备案与合同鉴证服务事项",
        "status": "completed", "note": ""}


def test_a_subscribe_message_is_sent_on_its_templates_consent_credit(mini: tuple[MiniSubscribeNotifier, World]) -> None:
    notifier, w = mini
    assert notifier.consent_template("completion") == "TPL-DONE"
    notifier.deliver("completion", DATA, "o-mini", "zh-CN")
    assert w.outbox[-1]["channel"] == "wechat_mini" and w.outbox[-1]["to"] == "o-mini"


def test_43101_is_permanent_and_says_the_consent_is_gone(mini: tuple[MiniSubscribeNotifier, World]) -> None:
    notifier, w = mini
    notifier.api.tokens.get()
    w.faults["wechat_mini"] = [{"errcode": 43101}]
    with pytest.raises(DeliveryFailed) as exc:
        notifier.deliver("completion", DATA, "o-mini", "zh-CN")
    assert exc.value.permanent and exc.value.consent_gone


def test_a_5xx_is_transient_and_keeps_the_consent(mini: tuple[MiniSubscribeNotifier, World]) -> None:
    notifier, w = mini
    notifier.api.tokens.get()
    w.faults["wechat_mini"] = [{"status": 503}]
    with pytest.raises(DeliveryFailed) as exc:
        notifier.deliver("completion", DATA, "o-mini", "zh-CN")
    assert not exc.value.permanent and not exc.value.consent_gone


def test_fields_are_rendered_within_wechats_limits() -> None:
    fields: dict[str, Any] = render_fields("completion", DATA, "zh-CN")
    assert len(fields["thing2"]["value"]) == 20 and fields["thing2"]["value"].endswith("…")
    assert fields["phrase3"]["value"] == "已办结"
    assert fields["thing4"]["value"] == "-"
    assert fields["character_string1"]["value"] == "SB20260928123456"


@pytest.mark.parametrize(("configured", "template"), [("TPL-OA", "TPL-OA"), ("bizsend:SUB-OA", "SUB-OA")])
def test_oa_notices_go_as_template_or_subscribe_notifications(svc: Services, world: tuple[World, str],
                                                              configured: str, template: str) -> None:
    from channels.wechat.notify import OaTemplateNotifier

    w, base = world
    notifier = OaTemplateNotifier(WeChatApi(base, _store(svc.table, base, svc.clock)),  # type: ignore[arg-type]
                                  {"complaint_reply": configured}, "https://h5.example/progress")
    notifier.deliver("complaint_reply", {"complaint_no": "TS1", "reply": "已处理"}, "o-oa", "zh-CN")
    assert w.outbox[-1]["channel"] == "wechat_oa" and w.outbox[-1]["template"] == template
    assert w.outbox[-1]["data"]["thing2"] == {"value": "已处理"}
