"""IdentityService on the in-memory store: logins, binding, unionid siblings and preferences."""

from __future__ import annotations

import pytest

from shared.clock import FixedClock
from shared.contract.commands import BindIdentity, UpdatePreferences
from shared.errors import Conflict, Forbidden, Unavailable, ValidationFailed
from shared.ports import ChannelIdentity
from shared.services.identity import IdentityService
from shared.sessions import Principal, SessionTokens
from shared.storage.memory import MemoryStore
from tests.helpers import OTHER_ID, VALID_ID

BIND = BindIdentity(id_number=VALID_ID, name="张三", phone="13800138000", otp="123456")


class _AcceptingOtp:
    def verify(self, phone: str, code: str) -> None:
        """Every code is right here (OTP rules have their own tests)."""


class _Exchange:
    def __init__(self, who: ChannelIdentity):
        self.who = who

    def exchange(self, code: str) -> ChannelIdentity:
        return self.who


@pytest.fixture
def identity(store: MemoryStore, fixed_clock: FixedClock) -> IdentityService:
    return IdentityService(store.unit_of_work, SessionTokens("k" * 32, 7200), _AcceptingOtp(), "pepper",  # type: ignore[arg-type]
                           fixed_clock)


def test_binding_creates_one_citizen_and_shows_only_masks(identity: IdentityService) -> None:
    me = identity.bind(Principal("wechat_mini", "o-1"), BIND)
    assert (me.id_number_masked, me.name_masked, me.phone_masked) == ("110***********002X", "张*", "138****8000")
    again = identity.bind(Principal("alipay", "a-1"), BIND)
    assert {b.channel for b in again.bindings} == {"sms", "wechat_mini", "alipay"}
    assert identity.citizen_of(Principal("sms", "+8613800138000")).citizen_id == \
        identity.citizen_of(Principal("alipay", "a-1")).citizen_id


def test_a_bind_with_another_name_or_phone_is_refused(identity: IdentityService) -> None:
    identity.bind(Principal("wechat_mini", "o-1"), BIND)
    with pytest.raises(ValidationFailed, match="name"):
        identity.bind(Principal("wechat_mini", "o-2"), BIND.model_copy(update={"name": "李四"}))
    with pytest.raises(Forbidden):
        identity.bind(Principal("wechat_mini", "o-2"), BIND.model_copy(update={"phone": "13900139000"}))


def test_an_account_bound_to_one_citizen_cannot_bind_to_another(identity: IdentityService) -> None:
    identity.bind(Principal("wechat_mini", "o-1"), BIND)
    with pytest.raises(Conflict):
        identity.bind(Principal("wechat_mini", "o-1"), BIND.model_copy(update={"id_number": OTHER_ID}))


def test_a_sibling_account_of_the_same_unionid_is_linked_at_login(identity: IdentityService) -> None:
    identity.logins["wechat_mini"] = _Exchange(ChannelIdentity(account="mini-1", unionid="union-1"))
    assert identity.login("wechat_mini", "code").bound is False
    identity.bind(Principal("wechat_mini", "mini-1", "union-1"), BIND)
    identity.logins["wechat_oa"] = _Exchange(ChannelIdentity(account="oa-1", unionid="union-1"))
    assert identity.login("wechat_oa", "code").bound is True
    with pytest.raises(Unavailable):
        identity.login("alipay", "code")  # not configured


def test_an_alipay_account_moving_to_open_id_keeps_its_citizen(identity: IdentityService) -> None:
    identity.bind(Principal("alipay", "2088000000000001"), BIND)
    identity.logins["alipay"] = _Exchange(ChannelIdentity(
        account="open-1", previous_account="2088000000000001",
        ids={"user_id": "2088000000000001", "open_id": "open-1"}))
    assert identity.login("alipay", "code").bound is True


def test_preferences_change_and_the_sms_opt_out_is_reported_once(identity: IdentityService) -> None:
    who = Principal("wechat_mini", "o-1")
    identity.bind(who, BIND)
    me = identity.update_preferences(who, UpdatePreferences(channels=["sms", "wechat_mini"], locale="en"))
    assert me.preferences.channels == ["sms", "wechat_mini"] and me.preferences.locale == "en"
    assert identity.account(who).locale == "en"
    citizen = identity.citizen_of(who)
    assert identity.opt_out_sms(citizen) is True
    assert identity.opt_out_sms(citizen) is False
