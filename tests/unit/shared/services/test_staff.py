"""Console sign-in on the in-memory store: accounts, lockout, sessions, CSRF tokens."""

from __future__ import annotations

import pytest

from shared.clock import FixedClock
from shared.errors import Conflict, Forbidden, RateLimited, Unauthorized, ValidationFailed
from shared.services.staff import StaffService
from shared.storage.memory import MemoryStore

PASSWORD = "城关镇-便民服务-2026"


@pytest.fixture
def staff(store: MemoryStore, fixed_clock: FixedClock) -> StaffService:
    service = StaffService(store.unit_of_work, fixed_clock, "test-session-key-0123456789abcdef")
    service.create("chengguan", "城关镇 王芳", "township_staff", PASSWORD, township="城关镇")
    return service


def test_the_right_password_opens_a_session_for_that_account(staff: StaffService) -> None:
    session_id, session = staff.sign_in("chengguan", PASSWORD)
    assert session.username == "chengguan" and len(session_id) >= 40
    assert staff.signed_in(session_id).display_name == "城关镇 王芳"


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(staff: StaffService) -> None:
    with pytest.raises(Unauthorized) as wrong:
        staff.sign_in("chengguan", "not the password")
    with pytest.raises(Unauthorized) as unknown:
        staff.sign_in("nobody", PASSWORD)
    assert wrong.value.message == unknown.value.message == "wrong username or password"


def test_five_failures_lock_the_account_even_for_the_right_password_until_the_lock_ends(
        staff: StaffService, fixed_clock: FixedClock) -> None:
    for _ in range(5):
        with pytest.raises(Unauthorized):
            staff.sign_in("chengguan", "guessing")
    with pytest.raises(RateLimited) as locked:
        staff.sign_in("chengguan", PASSWORD)
    assert locked.value.retry_after == 15 * 60 and "15 minutes" in locked.value.message
    fixed_clock.advance(seconds=15 * 60 + 1)
    assert staff.sign_in("chengguan", PASSWORD)[1].username == "chengguan"


def test_signing_out_or_waiting_eight_hours_ends_the_session(staff: StaffService, fixed_clock: FixedClock) -> None:
    first, _ = staff.sign_in("chengguan", PASSWORD)
    staff.sign_out(first)
    with pytest.raises(Unauthorized):
        staff.signed_in(first)
    second, _ = staff.sign_in("chengguan", PASSWORD)
    fixed_clock.advance(seconds=8 * 3600)
    with pytest.raises(Unauthorized):
        staff.signed_in(second)
    with pytest.raises(Unauthorized):
        staff.signed_in(None)


def test_a_form_is_accepted_only_with_its_own_sessions_csrf_token(staff: StaffService) -> None:
    mine, _ = staff.sign_in("chengguan", PASSWORD)
    theirs, _ = staff.sign_in("chengguan", PASSWORD)
    staff.check_csrf(mine, staff.csrf_token(mine))
    for session_id, token in ((mine, staff.csrf_token(theirs)), (mine, None), (mine, ""), (None, "x")):
        with pytest.raises(Forbidden):
            staff.check_csrf(session_id, token)


def test_accounts_need_a_long_password_a_free_name_and_their_scope(staff: StaffService) -> None:
    with pytest.raises(ValidationFailed) as short:
        staff.create("jiaoyu", "教育局", "department_handler", "short", department="县教育局")
    assert short.value.details[0]["field"] == "password"
    with pytest.raises(Conflict):
        staff.create("chengguan", "又一个", "township_staff", PASSWORD, township="城关镇")
    with pytest.raises(ValidationFailed) as unscoped:
        staff.create("cun", "某村", "village_staff", PASSWORD, township="城关镇")
    assert "village" in unscoped.value.details[0]["message"]
    assert staff.ensure("chengguan", "城关镇 王芳", "township_staff", PASSWORD, township="城关镇") is False
