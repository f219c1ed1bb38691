"""Staff accounts and console sessions keep the same promises on DynamoDB (moto) and in memory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from shared.clock import CST
from shared.contract.staff import StaffAccount, StaffSession
from shared.storage.ports import UnitOfWork

AT = datetime(2026, 9, 28, 10, 0, tzinfo=CST)


def _account(username: str = "zhang.wei") -> StaffAccount:
    return StaffAccount(username=username, display_name="张伟", role="township_staff", township="城关镇",
                        password_hash="scrypt$1$1$1$AA==$AA==", created_at=AT)


def test_an_account_is_created_once_and_read_back(uow: Callable[[], UnitOfWork]) -> None:
    assert uow().staff.add(_account()) is True
    assert uow().staff.add(_account()) is False
    assert uow().staff.get("zhang.wei") == _account()
    assert uow().staff.get("nobody") is None


def test_the_limit_th_failure_in_a_row_locks_and_a_success_clears(uow: Callable[[], UnitOfWork]) -> None:
    uow().staff.add(_account())
    until = AT + timedelta(minutes=15)
    assert [uow().staff.failed("zhang.wei", 3, until) for _ in range(3)] == [1, 2, 3]
    locked = uow().staff.get("zhang.wei")
    assert locked is not None and locked.locked_until == until and locked.failures == 0
    uow().staff.failed("zhang.wei", 3, until)
    uow().staff.succeeded("zhang.wei")
    cleared = uow().staff.get("zhang.wei")
    assert cleared is not None and (cleared.failures, cleared.locked_until) == (0, None)
    assert uow().staff.failed("nobody", 3, until) == 0 and uow().staff.get("nobody") is None


def test_a_session_lives_until_it_expires_or_is_closed(uow: Callable[[], UnitOfWork]) -> None:
    session = StaffSession(username="zhang.wei", created_at=AT, expires_at=AT + timedelta(hours=8))
    uow().staff_sessions.open("h1", session)
    assert uow().staff_sessions.get("h1", AT + timedelta(hours=1)) == session
    assert uow().staff_sessions.get("h1", AT + timedelta(hours=8)) is None
    uow().staff_sessions.close("h1")
    assert uow().staff_sessions.get("h1", AT) is None and uow().staff_sessions.get("h2", AT) is None
