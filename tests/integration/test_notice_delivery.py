"""The notice worker: one try per queue message, the person's channels in order, every attempt
recorded, waiting never counted as failing, and every notice ending delivered or failed."""

from __future__ import annotations

import http.client
import io
import json
import sys
from collections.abc import Callable
from typing import Any

import pytest

from functions.bootstrap import Services, bootstrap, install
from functions.notice_worker import deliver_notices, mark_dead_letters
from shared.logs import configure
from shared.ports import DeliveryFailed
from shared.services.delivery import backoff
from tests.helpers import Api, FakeQueue, drain, load_event


class FakeNotifier:
    """Records deliveries; fails as scripted (exceptions of any kind); may use consent credits."""

    def __init__(self, channel: str, failures: list[Exception] | None = None, template: str | None = None):
        self.channel, self.template = channel, template
        self.failures = list(failures or [])
        self.sent: list[dict[str, Any]] = []
        self.during: Callable[[], None] | None = None

    def consent_template(self, kind: str) -> str | None:
        return self.template

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        if self.during:
            self.during()
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


def _run(notice_id: str, gen: int = 0) -> dict[str, Any]:
    return deliver_notices(load_event("sqs/notice", NOTICE_ID=notice_id, GEN=str(gen)), None)


def _notices(api: Api, no: str) -> list[dict[str, Any]]:
    return api.backend("GET", f"/backend/v1/notices?application_no={no}").json_body["notices"]


def _outcomes(notice: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["channel"], a["outcome"]) for a in notice["attempts"]]


def test_a_completion_notice_goes_to_the_first_preferred_channel(api: Api, wired: Services, queue: FakeQueue,
                                                                 mini: FakeNotifier) -> None:
    no, nid = _completed(api, queue)
    assert _run(nid) == {"batchItemFailures": []}
    assert mini.sent[0]["kind"] == "completion" and mini.sent[0]["data"]["application_no"] == no
    notice = _notices(api, no)[0]
    assert notice["status"] == "delivered" and _outcomes(notice) == [("wechat_mini", "delivered")]


def test_a_redelivered_message_does_not_send_twice(api: Api, wired: Services, queue: FakeQueue,
                                                   mini: FakeNotifier) -> None:
    _, nid = _completed(api, queue)
    _run(nid)
    _run(nid)
    assert len(mini.sent) == 1


def test_a_permanent_failure_moves_to_the_next_channel_at_once(api: Api, wired: Services, queue: FakeQueue,
                                                               mini: FakeNotifier, sms_channel: FakeNotifier) -> None:
    mini.failures = [DeliveryFailed("errcode 47003", permanent=True)]
    no, nid = _completed(api, queue)
    assert _run(nid) == {"batchItemFailures": []}
    assert sms_channel.sent[0]["account"] == "+8613800138000"
    assert _outcomes(_notices(api, no)[0]) == [("wechat_mini", "failed_permanent"), ("sms", "delivered")]


def test_a_transient_failure_queues_the_next_try_with_a_delay_instead_of_failing_the_message(
        api: Api, wired: Services, queue: FakeQueue, mini: FakeNotifier) -> None:
    mini.failures = [DeliveryFailed("HTTP 503", permanent=False)]
    no, nid = _completed(api, queue)
    assert _run(nid) == {"batchItemFailures": []}  # SQS's receive count never grows for a retry
    assert _notices(api, no)[0]["status"] == "pending"
    _, delay, gen = queue.sent[-1]
    assert gen == 1 and 1 <= delay <= wired.settings.retry_base_seconds
    assert _run(nid, 0) == {"batchItemFailures": []} and mini.sent == []  # the old message is stale
    drain(wired, queue)
    notice = _notices(api, no)[0]
    assert notice["status"] == "delivered"
    assert [a["outcome"] for a in notice["attempts"]] == ["failed_transient", "delivered"]


def test_every_channel_failing_ends_failed_with_the_reason_in_its_last_attempt(
        api: Api, wired: Services, queue: FakeQueue, mini: FakeNotifier, sms_channel: FakeNotifier) -> None:
    mini.failures = [DeliveryFailed("errcode 43101", permanent=True)]
    sms_channel.failures = [DeliveryFailed("invalid number", permanent=True)]
    no, nid = _completed(api, queue)
    _run(nid)
    notice = _notices(api, no)[0]
    assert notice["status"] == "failed"
    assert _outcomes(notice) == [("wechat_mini", "failed_permanent"), ("sms", "failed_permanent"),
                                 ("minqing", "failed")]
    assert "sms" in notice["attempts"][-1]["detail"] and "wechat_mini" in notice["attempts"][-1]["detail"]
    failed = api.backend("GET", "/backend/v1/notices?status=failed").json_body["notices"]
    assert [n["notice_id"] for n in failed] == [nid]


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
    event = load_event("sqs/notice", NOTICE_ID="x", GEN="0")
    event["Records"][0]["body"] = "not json"
    assert deliver_notices(event, None)["batchItemFailures"][0]["itemIdentifier"]


def test_5xx_twice_then_success_is_delivered_on_the_first_channel(api: Api, wired: Services, queue: FakeQueue,
                                                                  mini: FakeNotifier) -> None:
    mini.failures = [DeliveryFailed("HTTP 503", permanent=False)] * 2
    no, _ = _completed(api, queue)
    drain(wired, queue)
    notice = _notices(api, no)[0]
    assert notice["status"] == "delivered"
    assert _outcomes(notice) == [("wechat_mini", "failed_transient"), ("wechat_mini", "failed_transient"),
                                 ("wechat_mini", "delivered")]


def test_a_channel_that_keeps_failing_transiently_is_given_up_for_the_next(api: Api, wired: Services,
                                                                          queue: FakeQueue, mini: FakeNotifier,
                                                                          sms_channel: FakeNotifier) -> None:
    wired.delivery.max_transient = 2
    mini.failures = [DeliveryFailed("timeout", permanent=False)] * 5
    no, _ = _completed(api, queue)
    drain(wired, queue)
    notice = _notices(api, no)[0]
    assert notice["status"] == "delivered"
    assert [a["channel"] for a in notice["attempts"]] == ["wechat_mini", "wechat_mini", "sms"]


@pytest.mark.parametrize("error", [http.client.IncompleteRead(b"partial"), ConnectionResetError(104, "reset"),
                                   http.client.BadStatusLine("HTTP/1.1 2OO OK"), TimeoutError("timed out")])
def test_any_transport_error_is_a_recorded_transient_attempt(api: Api, wired: Services, queue: FakeQueue,
                                                             mini: FakeNotifier, error: Exception) -> None:
    mini.failures = [error]
    no, nid = _completed(api, queue)
    assert _run(nid) == {"batchItemFailures": []}
    notice = _notices(api, no)[0]
    assert notice["status"] == "pending" and _outcomes(notice) == [("wechat_mini", "failed_transient")]
    assert type(error).__name__ in notice["attempts"][0]["detail"]


def test_a_deferral_is_neither_an_attempt_nor_a_failure(api: Api, wired: Services, queue: FakeQueue,
                                                        mini: FakeNotifier) -> None:
    mini.failures = [DeliveryFailed("quiet hours", permanent=False, retry_after=3600)] * 3
    no, nid = _completed(api, queue)
    buf = io.StringIO()
    configure(stream=buf)
    try:
        _run(nid)
    finally:
        configure(stream=sys.stdout)
    notice = _notices(api, no)[0]
    assert notice["status"] == "pending" and notice["attempts"] == []
    assert notice["waiting"] == "wechat_mini: quiet hours"
    assert "NoticeAttemptsFailed" not in buf.getvalue() and "NoticesDeferred" in buf.getvalue()
    assert [d for i, d, _ in queue.sent if i == nid][-1] == 900  # an hour's wait goes in 15-minute hops
    drain(wired, queue)
    notice = _notices(api, no)[0]
    assert notice["status"] == "delivered" and _outcomes(notice) == [("wechat_mini", "delivered")]


def test_a_notice_that_waits_past_its_maximum_age_ends_failed_and_a_retry_starts_it_afresh(
        api: Api, wired: Services, queue: FakeQueue, mini: FakeNotifier) -> None:
    mini.failures = [DeliveryFailed("SMS limit", permanent=False, retry_after=86400)] * 10
    no, nid = _completed(api, queue)
    drain(wired, queue, limit=1000)
    notice = _notices(api, no)[0]
    assert notice["status"] == "failed" and notice["attempts"][-1]["detail"].startswith("expired")
    mini.failures = []
    assert api.backend("POST", f"/backend/v1/notices/{nid}/retry").status_code == 200  # a fresh age, too
    drain(wired, queue)
    assert _notices(api, no)[0]["status"] == "delivered"


def test_a_second_message_while_a_worker_is_sending_does_not_send_again(api: Api, wired: Services,
                                                                         queue: FakeQueue, mini: FakeNotifier) -> None:
    _, nid = _completed(api, queue)
    second: list[str] = []
    mini.during = lambda: (setattr(mini, "during", None), second.append(wired.delivery.deliver(nid, 0)))  # type: ignore[func-returns-value]
    _run(nid)
    assert second == ["skipped"] and len(mini.sent) == 1


def test_a_dead_letter_does_not_fail_a_notice_that_a_worker_is_sending(api: Api, wired: Services,
                                                                       queue: FakeQueue, mini: FakeNotifier) -> None:
    no, nid = _completed(api, queue)
    outcome: list[dict[str, Any]] = []
    dead = load_event("sqs/notice", NOTICE_ID=nid, GEN="0")
    mini.during = lambda: (setattr(mini, "during", None), outcome.append(mark_dead_letters(dead, None)))  # type: ignore[func-returns-value]
    _run(nid)
    assert outcome == [{"batchItemFailures": []}] and _notices(api, no)[0]["status"] == "delivered"


def test_consent_credits_are_consumed_refunded_and_cleared_by_the_delivery_service(
        api: Api, wired: Services, queue: FakeQueue, mini: FakeNotifier, sms_channel: FakeNotifier) -> None:
    mini.template = "TPL-DONE"
    token = api.citizen()
    assert api.call("POST", "/v1/subscriptions", {"template_ids": ["TPL-DONE", "TPL-DONE"]}, token).status_code == 200

    def credits() -> int:
        return int(api.call("GET", "/v1/subscriptions", None, token).json_body["credits"]["TPL-DONE"])

    mini.failures = [ConnectionResetError("reset"), DeliveryFailed("errcode 43101", permanent=True,
                                                                   consent_gone=True)]
    no = api.submit(token).json_body["application_no"]
    api.walk(no, "rejected")
    nid = queue.ids[-1]
    _run(nid)
    assert credits() == 2  # refunded after the transport error
    drain(wired, queue)
    assert credits() == 0  # 43101: the consent is gone
    assert _outcomes(_notices(api, no)[0])[-1] == ("sms", "delivered")


def test_delivery_emits_emf_metrics(api: Api, wired: Services, queue: FakeQueue) -> None:
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
    assert all(1 <= backoff(1, 30, 900) <= 30 for _ in range(50))
    assert all(1 <= backoff(4, 30, 900) <= 240 for _ in range(50))
    assert all(backoff(20, 30, 900) <= 900 for _ in range(50))
    assert max(backoff(4, 30, 900) for _ in range(200)) > 30


def test_notices_whose_queueing_failed_are_queued_by_the_sweeper(api: Api, svc: Services, queue: FakeQueue,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def down(ids: list[str], **_: int) -> None:
        raise ConnectionError("sqs down")

    monkeypatch.setattr(queue, "enqueue", down)
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    api.walk(no, "rejected")
    monkeypatch.undo()
    now = int(svc.clock.now().timestamp())
    assert svc.notices.sweep(now) == 0  # too fresh: the dispatch may still be running
    assert svc.notices.sweep(now + 301) == 1
    assert queue.sent == [(_notices(api, no)[0]["notice_id"], 0, 0)]


def test_a_dead_lettered_notice_is_marked_failed_and_an_operator_can_retry_it(
        api: Api, wired: Services, queue: FakeQueue, mini: FakeNotifier) -> None:
    no, nid = _completed(api, queue)
    assert api.backend("POST", f"/backend/v1/notices/{nid}/retry").status_code == 409  # pending: nothing to retry
    event = load_event("sqs/notice", NOTICE_ID=nid, GEN="0")
    assert mark_dead_letters(event, None) == {"batchItemFailures": []}
    notice = _notices(api, no)[0]
    assert notice["status"] == "failed" and notice["attempts"][-1]["detail"].startswith("dead-lettered")
    out = api.backend("POST", f"/backend/v1/notices/{nid}/retry")
    assert out.status_code == 200 and out.json_body["status"] == "pending"
    drain(wired, queue)
    assert _notices(api, no)[0]["status"] == "delivered" and len(mini.sent) == 1
    assert api.backend("POST", f"/backend/v1/notices/{nid}/retry").json_body["error"]["code"] == "conflict"
    assert api.backend("POST", "/backend/v1/notices/nope/retry").status_code == 404


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
