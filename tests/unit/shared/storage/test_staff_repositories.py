"""Staff accounts and console sessions keep the same promises on DynamoDB (moto) and in memory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from shared.clock import CST
from shared.contract.keys import BackendKey
from shared.contract.staff import StaffAccount, StaffSession
from shared.storage.ports import UnitOfWork, WriteConflict

AT = datetime(2026, 9, 28, 10, 0, tzinfo=CST)


def _account(username: str = "zhang.wei") -> StaffAccount:
    return StaffAccount(username=username, display_name="张伟", role="township_staff", township="城关镇",
                        password_hash="scrypt$1$1$1$AA==$AA==", created_at=AT)


def test_an_account_is_created_once_and_read_back(uow: Callable[[], UnitOfWork]) -> None:
    assert uow().staff.add(_account()) is True
    assert uow().staff.add(_account()) is False
    assert uow().staff.get("zhang.wei") == _account()
    assert uow().staff.get("nobody") is None


def test_tries_are_claimed_up_to_the_limit_and_the_limit_th_wrong_one_locks(uow: Callable[[], UnitOfWork]) -> None:
    now = int(AT.timestamp())
    tries = uow().sign_in_attempts
    assert [tries.claim("k", now, 3) for _ in range(4)] == [True, True, True, False], "no 4th try in flight"
    tries.failed("k", now, 3, 900)
    assert tries.locked_for("k", now) == 900 and tries.claim("k", now + 899, 3) is False
    assert tries.cleared("k", now + 10) is False, "a right password that lost the race to the lock is refused"
    assert tries.claim("k", now + 900, 3) is True and tries.locked_for("k", now + 900) == 0
    assert tries.cleared("k", now + 900) is True
    assert [tries.claim("k", now + 901, 3) for _ in range(3)] == [True, True, True]
    assert tries.claim("other", now, 3) is True, "each name counts its own tries"


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


def test_the_audit_log_is_filtered_by_actor_and_kind_of_action_a_page_at_a_time(
        uow: Callable[[], UnitOfWork]) -> None:
    from shared.contract.staff import AuditEntry

    for minute in range(6):
        actor, action = ("admin", "staff.create") if minute % 2 else ("key:mk_0123456789abcdef", "application.accepted")
        uow().audit.add(AuditEntry(at=AT + timedelta(minutes=minute), actor=actor, action=action, target=str(minute)))
    first, cursor = uow().audit.of_month("2026-09", 2, actor="key:mk_0123456789abcdef")
    rest, end = uow().audit.of_month("2026-09", 2, cursor, actor="key:mk_0123456789abcdef")
    assert [e.target for e in first + rest] == ["4", "2", "0"] and end is None
    assert [e.target for e in uow().audit.of_month("2026-09", 9, action="staff.")[0]] == ["5", "3", "1"]
    assert uow().audit.of_month("2026-09", 9, actor="admin", action="application.")[0] == []


def test_a_staged_audit_entry_lands_with_its_change_or_not_at_all(uow: Callable[[], UnitOfWork]) -> None:
    import pytest

    from shared.contract.records import Application, TimelineEntry
    from shared.contract.staff import AuditEntry
    from shared.storage.ports import WriteConflict

    app = Application(application_no="SB20260928000009", citizen_id="c-1", account="wechat_mini#o-1",
                      item_code="V-CW-001", item_name="村务证明", form={}, status="submitted",
                      timeline=[TimelineEntry(status="submitted", at=AT)], submitted_at=AT)
    entry = AuditEntry(at=AT, actor="admin", action="application.add", target=app.application_no)
    unit = uow()
    unit.applications.add(app)
    unit.audit.stage(entry)
    assert uow().audit.of_month("2026-09", 5)[0] == [], "nothing before the commit"
    unit.commit()
    again = uow()
    again.applications.add(app)  # the number is taken: the commit fails
    again.audit.stage(entry.model_copy(update={"action": "application.add_again"}))
    with pytest.raises(WriteConflict):
        again.commit()
    assert [e.action for e in uow().audit.of_month("2026-09", 5)[0]] == ["application.add"]


def _key(n: int) -> BackendKey:
    return BackendKey(key_id=f"mk_{n:016x}", label=f"system {n}", scopes=["complaints:read"],
                      created_at=datetime(2026, 11, 1, 9, n, tzinfo=UTC), created_by="admin")


def test_keys_are_listed_newest_first_a_page_at_a_time_and_added_once(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    for n in range(3):
        unit.backend_keys.add(_key(n))
    unit.commit()
    first, cursor = uow().backend_keys.listed(2)
    rest, end = uow().backend_keys.listed(2, cursor)
    assert [k.label for k in first + rest] == ["system 2", "system 1", "system 0"] and end is None
    again = uow()
    again.backend_keys.add(_key(1))
    with pytest.raises(WriteConflict):
        again.commit()


def test_a_key_changes_only_from_what_was_read(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    unit.backend_keys.add(_key(7))
    unit.commit()
    read = uow().backend_keys.get(_key(7).key_id)
    assert read is not None
    revoked = read.model_copy(update={"revoked_at": datetime(2026, 11, 2, tzinfo=UTC), "revoked_by": "admin"})
    first = uow()
    first.backend_keys.replace(read, revoked)
    first.commit()
    late = uow()  # a second change made from the same stale read
    late.backend_keys.replace(read, read.model_copy(update={"replaced_by": "mk_00000000000000ff"}))
    with pytest.raises(WriteConflict):
        late.commit()
    stored = uow().backend_keys.get(read.key_id)
    assert stored is not None and stored.revoked_by == "admin" and stored.replaced_by is None
