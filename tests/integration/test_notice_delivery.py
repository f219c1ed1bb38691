"""The notice worker: SQS batch in, citizen's channels in order, every attempt recorded."""

from __future__ import annotations

from typing import Any

import pytest

from functions.bootstrap import Services, bootstrap, install
from functions.notice_worker import deliver_notices
from shared.ports import DeliveryFailed
from tests.helpers import Api, FakeQueue, load_event


class FakeNotifier:
    """Records deliveries; fails as scripted."""

    def __init__(self, channel: str, failures: list[DeliveryFailed] | None = None):
        self.channel = channel
        self.failures = list(failures or [])
        self.sent: list[dict[str, Any]] = []

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append({"kind": kind, "account": account, "data": data, "locale": locale})


@pytest.fixture
def mini() -> FakeNotifier:
    return FakeNotifier("wechat_mini")


@pytest.fixture
def sms_channel() -> FakeNotifier:
    return FakeNotifier("sms")


@pytest.fixture
def wired(svc: Services, mini: FakeNotifier, sms_channel: FakeNotifier, queue: FakeQueue) -> Services:
    built = bootstrap(svc.settings, session=None, dynamodb=svc.table.client, sms=svc.identity.otp.sms,
                      queue=queue, clock=svc.clock, notifiers={"wechat_mini": mini, "sms": sms_channel})
    install(built)
    return built


def _completed(api: Api, queue: FakeQueue) -> tuple[str, str]:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    api.walk(no, "accepted", "in_review", "completed")
    return no, queue.ids[-1]


def _run(notice_id: str) -> dict[str, Any]:
    return deliver_notices(load_event("sqs/notice", NOTICE_ID=notice_id), None)


def _notices(api: Api, no: str) -> list[dict[str, Any]]:
    return api.backend("GET", f"/backend/v1/notices?application_no={no}").json_body["notices"]


def test_a_completion_notice_goes_to_the_first_preferred_channel(api: Api, wired: Services, queue: FakeQueue,
                                                                 mini: FakeNotifier) -> None:
    no, nid = _completed(api, queue)
    assert _run(nid) == {"batchItemFailures": []}
    assert mini.sent[0]["kind"] == "completion" and mini.sent[0]["data"]["application_no"] == no
    notice = _notices(api, no)[0]
    assert notice["status"] == "delivered"
    assert [(a["channel"], a["outcome"]) for a in notice["attempts"]] == [("wechat_mini", "delivered")]


def test_a_redelivered_message_does_not_send_twice(api: Api, wired: Services, queue: FakeQueue,
                                                   mini: FakeNotifier) -> None:
    _, nid = _completed(api, queue)
    _run(nid)
    _run(nid)
    assert len(mini.sent) == 1


def test_a_permanent_failure_moves_to_the_next_channel_at_once(api: Api, wired: Services, queue: FakeQueue,
                                                               mini: FakeNotifier, sms_channel: FakeNotifier) -> None:
    mini.failures = [DeliveryFailed("43101 no consent", permanent=True)]
    no, nid = _completed(api, queue)
    assert _run(nid) == {"batchItemFailures": []}
    assert sms_channel.sent[0]["account"] == "+8613800138000"
    notice = _notices(api, no)[0]
    assert [(a["channel"], a["outcome"]) for a in notice["attempts"]] == [
        ("wechat_mini", "failed_permanent"), ("sms", "delivered")]


def test_a_transient_failure_returns_the_message_to_the_queue_and_is_visible(api: Api, wired: Services,
                                                                            queue: FakeQueue,
                                                                            mini: FakeNotifier) -> None:
    mini.failures = [DeliveryFailed("HTTP 503", permanent=False)]
    no, nid = _completed(api, queue)
    out = _run(nid)
    assert out == {"batchItemFailures": [{"itemIdentifier": "059f36b4-87a3-44ab-83d2-661975830a7d"}]}
    assert _notices(api, no)[0]["status"] == "pending"
    assert _run(nid) == {"batchItemFailures": []}
    notice = _notices(api, no)[0]
    assert notice["status"] == "delivered"
    assert [a["outcome"] for a in notice["attempts"]] == ["failed_transient", "delivered"]


def test_every_channel_failing_ends_failed_with_all_attempts(api: Api, wired: Services, queue: FakeQueue,
                                                             mini: FakeNotifier, sms_channel: FakeNotifier) -> None:
    mini.failures = [DeliveryFailed("43101", permanent=True)]
    sms_channel.failures = [DeliveryFailed("invalid number", permanent=True)]
    no, nid = _completed(api, queue)
    _run(nid)
    notice = _notices(api, no)[0]
    assert notice["status"] == "failed"
    assert [a["channel"] for a in notice["attempts"]] == ["wechat_mini", "sms"]


def test_sms_is_skipped_for_a_citizen_who_opted_out(api: Api, wired: Services, queue: FakeQueue,
                                                    mini: FakeNotifier, sms_channel: FakeNotifier) -> None:
    token = api.citizen()
    api.call("PUT", "/v1/me/preferences", {"sms_opt_out": True}, token)
    no = api.submit(token).json_body["application_no"]
    api.walk(no, "rejected")
    mini.failures = [DeliveryFailed("43101", permanent=True)]
    _run(queue.ids[-1])
    assert sms_channel.sent == []
    assert _notices(api, no)[0]["status"] == "failed"


def test_a_malformed_message_is_reported_not_crashed_on(wired: Services) -> None:
    event = load_event("sqs/notice", NOTICE_ID="x")
    event["Records"][0]["body"] = "not json"
    assert deliver_notices(event, None)["batchItemFailures"][0]["itemIdentifier"]


def test_5xx_twice_then_success_is_delivered_on_the_first_channel(api: Api, wired: Services, queue: FakeQueue,
                                                                  mini: FakeNotifier) -> None:
    mini.failures = [DeliveryFailed("HTTP 503", permanent=False)] * 2
    no, nid = _completed(api, queue)
    for _ in range(3):
        _run(nid)
    notice = _notices(api, no)[0]
    assert notice["status"] == "delivered"
    assert [(a["channel"], a["outcome"]) for a in notice["attempts"]] == [
        ("wechat_mini", "failed_transient"), ("wechat_mini", "failed_transient"), ("wechat_mini", "delivered")]


def test_a_channel_that_keeps_failing_transiently_is_given_up_for_the_next(api: Api, wired: Services,
                                                                          queue: FakeQueue, mini: FakeNotifier,
                                                                          sms_channel: FakeNotifier) -> None:
    wired.delivery.max_transient = 2
    mini.failures = [DeliveryFailed("timeout", permanent=False)] * 5
    no, nid = _completed(api, queue)
    for _ in range(3):
        _run(nid)
    notice = _notices(api, no)[0]
    assert notice["status"] == "delivered"
    assert [a["channel"] for a in notice["attempts"]] == ["wechat_mini", "wechat_mini", "sms"]


def test_a_second_worker_does_not_send_while_the_first_holds_the_lease(api: Api, wired: Services,
                                                                     queue: FakeQueue, mini: FakeNotifier) -> None:
    from shared.services.delivery import TransientDeliveryError

    _, nid = _completed(api, queue)
    notice = wired.delivery.table.get(f"NTC#{nid}", "NTC")
    from shared.contract.records import Notice

    wired.delivery._lease(Notice.model_validate(notice), "wechat_mini")  # the first worker, mid-send
    with pytest.raises(TransientDeliveryError):
        wired.delivery.deliver(nid)
    assert mini.sent == []


def test_delivery_emits_emf_metrics(api: Api, wired: Services, queue: FakeQueue) -> None:
    import io
    import json
    import sys

    from shared.logs import configure

    buf = io.StringIO()
    configure(stream=buf)
    try:
        _, nid = _completed(api, queue)
        _run(nid)
    finally:
        configure(stream=sys.stdout)
    metrics = [json.loads(line) for line in buf.getvalue().splitlines() if '"_aws"' in line]
    delivered = next(m for m in metrics if "NoticesDelivered" in m)
    assert delivered["channel"] == "wechat_mini" and delivered["kind"] == "completion"
    assert delivered["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Name"] == "NoticesDelivered"


def test_backoff_grows_exponentially_within_the_cap() -> None:
    from functions.notice_worker import backoff

    assert all(1 <= backoff(1, 30, 900) <= 30 for _ in range(50))
    assert all(1 <= backoff(4, 30, 900) <= 240 for _ in range(50))
    assert all(backoff(20, 30, 900) <= 900 for _ in range(50))
    assert max(backoff(4, 30, 900) for _ in range(200)) > 30


def test_notices_whose_queueing_failed_are_queued_by_the_sweeper(api: Api, svc: Services, queue: FakeQueue,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def down(ids: list[str]) -> None:
        raise ConnectionError("sqs down")

    monkeypatch.setattr(queue, "enqueue", down)
    no, _ = _completed_without_queue(api)
    monkeypatch.undo()
    now = int(svc.clock.now().timestamp())
    assert svc.notices.sweep(now) == 0  # too fresh: the dispatch may still be running
    assert svc.notices.sweep(now + 61) == 1
    assert queue.ids == [_notices(api, no)[0]["notice_id"]]
    assert svc.notices.sweep(now + 120) == 0


def _completed_without_queue(api: Api) -> tuple[str, None]:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    api.walk(no, "rejected")
    return no, None


def test_by_default_the_channel_applied_on_goes_first(api: Api, wired: Services, queue: FakeQueue,
                                                      mini: FakeNotifier) -> None:
    oa = FakeNotifier("wechat_oa")
    wired.delivery.notifiers["wechat_oa"] = oa
    mini_token = api.citizen()  # bound first on the mini-program: preferences [wechat_mini, wechat_oa?, sms]
    oa_token = api.token("wechat_oa", "oa-first")
    api.svc.clock.advance(seconds=61)  # type: ignore[attr-defined]
    assert api.bind(oa_token).status_code == 200
    no = api.submit(oa_token).json_body["application_no"]
    api.walk(no, "rejected")
    _run(queue.ids[-1])
    assert [m["kind"] for m in oa.sent] == ["completion"] and mini.sent == []
    api.call("PUT", "/v1/me/preferences", {"channels": ["wechat_mini", "sms"]}, mini_token)
    no = api.submit(oa_token).json_body["application_no"]
    api.walk(no, "rejected")
    _run(queue.ids[-1])
    assert len(mini.sent) == 1  # an explicit choice beats the channel applied on
