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


def test_accounts_are_listed_by_username_a_page_at_a_time(uow: Callable[[], UnitOfWork]) -> None:
    for name in ("wang.fang", "admin", "li.na"):
        uow().staff.add(_account(name))
    first, cursor = uow().staff.listed(2)
    rest, end = uow().staff.listed(2, cursor)
    assert [a.username for a in first] == ["admin", "li.na"] and cursor == "li.na"
    assert [a.username for a in rest] == ["wang.fang"] and end is None


def test_the_audit_log_is_read_by_month_newest_first_a_page_at_a_time(uow: Callable[[], UnitOfWork]) -> None:
    from shared.contract.staff import AuditEntry

    for minute, action in enumerate(("staff.sign_in", "staff.create", "staff.sign_out")):
        uow().audit.add(AuditEntry(at=AT + timedelta(minutes=minute), actor="admin", action=action, target="li.na",
                                   source="10.0.0.8", after={"role": "township_staff"}))
    uow().audit.add(AuditEntry(at=AT + timedelta(days=40), actor="admin", action="staff.sign_in"))
    newest, cursor = uow().audit.of_month("2026-09", 2)
    older, end = uow().audit.of_month("2026-09", 2, cursor)
    assert [e.action for e in newest] == ["staff.sign_out", "staff.create"] and cursor
    assert [e.action for e in older] == ["staff.sign_in"] and end is None
    assert newest[1].after == {"role": "township_staff"} and newest[1].source == "10.0.0.8"
    assert [e.at for e in uow().audit.of_month("2026-11", 5)[0]] == [AT + timedelta(days=40)]
    assert not hasattr(uow().audit, "update") and not hasattr(uow().audit, "remove"), "append-only"
