"""One-time codes and SMS limits on the in-memory store."""

from __future__ import annotations

import pytest

from shared.clock import FixedClock
from shared.errors import OtpInvalid, RateLimited
from shared.services.otp import OtpService
from shared.services.sms_limits import LimitedSmsSender, SmsLimited, SmsLimiter
from shared.sessions import Principal
from shared.storage.memory import MemoryStore
from tests.helpers import FakeSms

PHONE = "+8613800138000"


def test_a_code_is_sent_once_a_minute_and_accepted_once(store: MemoryStore, fixed_clock: FixedClock) -> None:
    sms = FakeSms()
    otp = OtpService(store.unit_of_work, sms, "pepper", fixed_clock)
    assert otp.request(PHONE) == 300
    with pytest.raises(RateLimited):
        otp.request(PHONE)
    with pytest.raises(OtpInvalid):
        otp.verify(PHONE, "not-it")
    otp.verify(PHONE, sms.last_code(PHONE))
    with pytest.raises(OtpInvalid):
        otp.verify(PHONE, sms.last_code(PHONE))  # used


def test_one_account_gets_five_codes_an_hour(store: MemoryStore, fixed_clock: FixedClock) -> None:
    otp = OtpService(store.unit_of_work, FakeSms(), "pepper", fixed_clock)
    asker = Principal("wechat_mini", "o-pump")
    for n in range(5):
        otp.request(f"+861380013{n:04d}", asker)
    with pytest.raises(RateLimited, match="this account"):
        otp.request("+8613800139999", asker)


def test_one_address_signing_in_without_an_account_gets_thirty_codes_an_hour(store: MemoryStore,
                                                                          fixed_clock: FixedClock) -> None:
    otp = OtpService(store.unit_of_work, FakeSms(), "pepper", fixed_clock)
    for n in range(30):
        otp.request(f"+86138001{n:05d}", source="203.0.113.7")
    with pytest.raises(RateLimited, match="this address"):
        otp.request("+8613900139999", source="203.0.113.7")
    otp.request("+8613900139999", source="203.0.113.8")  # another address is not held back


def test_the_same_text_to_one_phone_waits_thirty_seconds(store: MemoryStore, fixed_clock: FixedClock) -> None:
    sender = LimitedSmsSender(FakeSms(), SmsLimiter(store.unit_of_work, fixed_clock))
    sender.send(PHONE, "completion", {}, "您的申请已办结")
    with pytest.raises(SmsLimited) as caught:
        sender.send(PHONE, "completion", {}, "您的申请已办结")
    assert 0 < caught.value.retry_after <= 30
    fixed_clock.advance(seconds=31)
    sender.send(PHONE, "completion", {}, "您的申请已办结")
