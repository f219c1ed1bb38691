"""Per-phone SMS limits at their edges, enforced before the provider is called."""

from __future__ import annotations

import pytest

from channels.sms.notifier import SmsNotifier
from shared.clock import FixedClock
from shared.ports import DeliveryFailed
from shared.services.sms_limits import LimitedSmsSender, SmsLimited, SmsLimiter
from shared.storage.dynamo import Table
from shared.storage.dynamo_unit import DynamoUnitOfWork
from tests.helpers import Api, FakeSms

PHONE = "+8613800138000"


@pytest.fixture
def limited(table: Table, clock: FixedClock, sms: FakeSms) -> LimitedSmsSender:
    return LimitedSmsSender(sms, SmsLimiter(lambda: DynamoUnitOfWork(table), clock))


def test_otp_one_per_minute(limited: LimitedSmsSender, clock: FixedClock) -> None:
    limited.send(PHONE, "otp", {"code": "1"}, "a")
    clock.advance(seconds=59)
    with pytest.raises(SmsLimited) as exc:
        limited.send(PHONE, "otp", {"code": "2"}, "b")
    assert exc.value.retry_after == 1
    clock.advance(seconds=1)
    limited.send(PHONE, "otp", {"code": "3"}, "c")


def test_otp_five_per_hour_and_ten_per_day(limited: LimitedSmsSender, clock: FixedClock, sms: FakeSms) -> None:
    for i in range(5):
        limited.send(PHONE, "otp", {"code": str(i)}, str(i))
        clock.advance(seconds=61)
    with pytest.raises(SmsLimited):
        limited.send(PHONE, "otp", {"code": "x"}, "x")
    clock.advance(hours=1)
    for i in range(5):
        limited.send(PHONE, "otp", {"code": str(i)}, f"d{i}")
        clock.advance(seconds=61)
    clock.advance(hours=1)
    with pytest.raises(SmsLimited):  # the 11th within a day
        limited.send(PHONE, "otp", {"code": "y"}, "y")
    assert len(sms.sent) == 10


def test_notices_fifty_per_rolling_day(limited: LimitedSmsSender, clock: FixedClock) -> None:
    for i in range(50):
        limited.send(PHONE, "completion", {}, f"notice {i}")
    with pytest.raises(SmsLimited):
        limited.send(PHONE, "completion", {}, "notice 50")
    clock.advance(hours=24)
    limited.send(PHONE, "completion", {}, "notice 51")


def test_the_same_text_once_per_30_seconds(limited: LimitedSmsSender, clock: FixedClock) -> None:
    limited.send(PHONE, "reply", {}, "same")
    clock.advance(seconds=29)
    with pytest.raises(SmsLimited):
        limited.send(PHONE, "reply", {}, "same")
    limited.send(PHONE, "reply", {}, "different")
    clock.advance(seconds=1)
    limited.send(PHONE, "reply", {}, "same")


def test_a_limited_notice_is_deferred_not_dropped(limited: LimitedSmsSender, clock: FixedClock) -> None:
    notifier = SmsNotifier(limited, clock=clock)
    notifier.deliver("completion", {"application_no": "SB1", "item_name": "x", "status": "completed"}, PHONE, "zh-CN")
    with pytest.raises(DeliveryFailed) as exc:
        notifier.deliver("completion", {"application_no": "SB1", "item_name": "x", "status": "completed"}, PHONE,
                         "zh-CN")
    assert not exc.value.permanent and exc.value.retry_after == 30


def test_reminders_wait_for_the_end_of_quiet_hours_but_completions_do_not(sms: FakeSms, clock: FixedClock) -> None:
    clock.at = clock.at.replace(hour=23)
    notifier = SmsNotifier(sms, quiet_hours="22:00-08:00", clock=clock)
    with pytest.raises(DeliveryFailed) as exc:
        notifier.deliver("expiry_reminder", {"kind_label": "驾驶证", "expires_on": "2026-10-28"}, PHONE, "zh-CN")
    assert exc.value.retry_after == 9 * 3600
    notifier.deliver("completion", {"application_no": "SB1", "item_name": "x", "status": "completed"}, PHONE, "zh-CN")
    assert len(sms.sent) == 1


def test_a_limited_otp_request_is_429_with_retry_after(api: Api, table: Table, clock: FixedClock,
                                                       sms: FakeSms) -> None:
    api.svc.identity.otp.sms = LimitedSmsSender(sms, SmsLimiter(lambda: DynamoUnitOfWork(table), clock))
    token = api.token()
    for _ in range(5):
        assert api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, token).status_code == 202
        clock.advance(seconds=61)
    out = api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, token)
    assert out.status_code == 429 and int(out.headers["Retry-After"]) > 0
    clock.advance(seconds=int(out.headers["Retry-After"]))
    assert api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, token).status_code == 202


def test_a_send_the_provider_refused_does_not_count(limited: LimitedSmsSender, sms: FakeSms) -> None:
    sms.fail = True
    with pytest.raises(ConnectionError):
        limited.send(PHONE, "completion", {}, "retry me")
    sms.fail = False
    limited.send(PHONE, "completion", {}, "retry me")
    assert [m["text"] for m in sms.sent] == ["retry me"]
