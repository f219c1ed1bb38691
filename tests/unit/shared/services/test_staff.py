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


def test_a_wrong_password_and_an_unknown_user_get_the_same_answers_locked_or_not(staff: StaffService) -> None:
    with pytest.raises(Unauthorized) as wrong:
        staff.sign_in("chengguan", "not the password")
    with pytest.raises(Unauthorized) as unknown:
        staff.sign_in("nobody", PASSWORD)
    assert wrong.value.message == unknown.value.message == "wrong username, password or one-time code"
    for name in ("chengguan", "nobody"):
        for _ in range(5):
            with pytest.raises((Unauthorized, RateLimited)):
                staff.sign_in(name, "guessing")
    with pytest.raises(RateLimited) as known:
        staff.sign_in("chengguan", "guessing")
    with pytest.raises(RateLimited) as unknown_locked:
        staff.sign_in("nobody", "guessing")
    assert known.value.message == unknown_locked.value.message and known.value.retry_after == \
        unknown_locked.value.retry_after


def test_concurrent_wrong_tries_cannot_outrun_the_lock(store: MemoryStore, fixed_clock: FixedClock) -> None:
    """Twenty wrong tries at once: at most five are checked, the rest are refused, and the lock then holds
    even for the right password."""
    from concurrent.futures import ThreadPoolExecutor

    service = StaffService(store.unit_of_work, fixed_clock, "test-session-key-0123456789abcdef")
    service.create("admin", "县级管理员", "county_admin", PASSWORD)

    def attempt(i: int) -> str:
        try:
            service.sign_in("admin", f"wrong-{i}")
        except (Unauthorized, RateLimited) as exc:
            return type(exc).__name__
        return "signed in"

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(attempt, range(20)))
    assert outcomes.count("Unauthorized") <= 5 and outcomes.count("RateLimited") >= 15
    with pytest.raises(RateLimited):
        service.sign_in("admin", PASSWORD)


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
    staff.sign_out(staff.signed_in(first), first)
    with pytest.raises(Unauthorized):
        staff.signed_in(first)
    second, _ = staff.sign_in("chengguan", PASSWORD)
    fixed_clock.advance(seconds=8 * 3600)
    with pytest.raises(Unauthorized):
        staff.signed_in(second)
    with pytest.raises(Unauthorized):
        staff.signed_in(None)


def test_every_sign_in_account_and_sign_out_is_in_the_audit_log_for_administrators_only(
        staff: StaffService, store: MemoryStore) -> None:
    admin = staff.create("admin", "县级管理员", "county_admin", PASSWORD)
    staff.create("jiaoyu", "县教育局 李娜", "department_handler", PASSWORD, by=admin, source="10.0.0.8",
                 department="县教育局")
    with pytest.raises(Unauthorized):
        staff.sign_in("jiaoyu", "not the password", "10.0.0.9")
    with pytest.raises(Unauthorized):
        staff.sign_in("nobody-by-that-name", PASSWORD, "10.0.0.9")
    session_id, _ = staff.sign_in("jiaoyu", PASSWORD, "10.0.0.9")
    handler = staff.signed_in(session_id)
    staff.sign_out(handler, session_id, "10.0.0.9")
    entries, _ = staff.audit_log(admin, "2026-09")
    assert [(e.actor, e.action, e.target, e.source) for e in entries][:5] == [
        ("jiaoyu", "staff.sign_out", "jiaoyu", "10.0.0.9"), ("jiaoyu", "staff.sign_in", "jiaoyu", "10.0.0.9"),
        ("anonymous", "staff.sign_in_refused", "", "10.0.0.9"),
        ("jiaoyu", "staff.sign_in_refused", "jiaoyu", "10.0.0.9"), ("admin", "staff.create", "jiaoyu", "10.0.0.8")]
    assert entries[4].after == {"display_name": "县教育局 李娜", "role": "department_handler", "department": "县教育局"}
    assert all(PASSWORD not in str(e.model_dump()) for e in entries), "no password is ever recorded"
    with pytest.raises(Forbidden):
        staff.audit_log(handler, "2026-09")
    with pytest.raises(Forbidden):
        staff.create("x-y-z", "某人", "county_admin", PASSWORD, by=handler)


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


def test_two_step_sign_in_asks_for_a_current_code_once(staff: StaffService, fixed_clock: FixedClock) -> None:
    from shared.totp import code_at

    who = staff.signed_in(staff.sign_in("chengguan", PASSWORD)[0])
    secret, uri, offered = staff.two_step_offer(who)
    assert uri.startswith("otpauth://totp/Minqing:chengguan?secret=" + secret) and secret not in offered
    now = int(fixed_clock.now().timestamp())
    with pytest.raises(ValidationFailed):
        staff.two_step_on(who, offered, "000000" if code_at(secret, now // 30) != "000000" else "111111")
    from shared.totp import seal

    with pytest.raises(ValidationFailed, match="offered"):  # a secret of the client's own choosing
        staff.two_step_on(who, seal(b"k" * 32, "offer:chengguan", "A" * 32), code_at("A" * 32, now // 30))
    staff.two_step_on(who, offered, code_at(secret, now // 30))
    with pytest.raises(Conflict):  # a session alone cannot swap the secret
        staff.two_step_on(staff.uow().staff.get("chengguan"), offered, code_at(secret, now // 30))
    with pytest.raises(Unauthorized, match="wrong username, password or one-time code"):
        staff.sign_in("chengguan", PASSWORD)  # the password alone no longer opens a session
    with pytest.raises(Unauthorized):
        staff.sign_in("chengguan", PASSWORD, code=code_at(secret, now // 30))  # the code that turned it on
    fixed_clock.advance(seconds=30)
    staff.sign_in("chengguan", PASSWORD, code=code_at(secret, now // 30 + 1))
    with pytest.raises(Unauthorized):
        staff.sign_in("chengguan", PASSWORD, code=code_at(secret, now // 30 + 1))  # a code works once
    fixed_clock.advance(seconds=30)
    who = staff.signed_in(staff.sign_in("chengguan", PASSWORD, code=code_at(secret, now // 30 + 2))[0])
    assert who.totp and secret not in who.totp, "stored sealed"
    fixed_clock.advance(seconds=30)
    staff.two_step_off(who, code_at(secret, now // 30 + 3))
    fixed_clock.advance(seconds=30)
    staff.sign_in("chengguan", PASSWORD)
