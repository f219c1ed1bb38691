"""Scoped backend keys on the in-memory store: issue, sign, rotate with two active, revoke, scopes and reach."""

from __future__ import annotations

import pytest

from shared.clock import FixedClock
from shared.contract.staff import StaffAccount
from shared.errors import Conflict, Forbidden, Unauthorized, ValidationFailed
from shared.services.backend_auth import BackendVerifier, sign
from shared.services.backend_keys import BackendKeyService, key_root
from shared.storage.memory import MemoryStore

PATH = "/backend/v1/applications/X/events"


@pytest.fixture
def keys(store: MemoryStore, fixed_clock: FixedClock) -> BackendKeyService:
    return BackendKeyService(store.unit_of_work, fixed_clock, key_root("", "default-hmac-key"))


@pytest.fixture
def verifier(store: MemoryStore, fixed_clock: FixedClock, keys: BackendKeyService) -> BackendVerifier:
    return BackendVerifier(store.unit_of_work, "default-hmac-key", fixed_clock, keys)


@pytest.fixture
def admin(fixed_clock: FixedClock) -> StaffAccount:
    return StaffAccount(username="admin", display_name="县管理员", role="county_admin", password_hash="x",
                        created_at=fixed_clock.now())


def _call(verifier: BackendVerifier, secret: str, key_id: str | None, scope: str, nonce: str):  # type: ignore[no-untyped-def]
    ts = str(int(verifier.clock.now().timestamp()))
    signature = sign(secret, ts, nonce, "POST", PATH, b"{}")
    return verifier.verify(ts, nonce, signature, "POST", [PATH], b"{}", key_id=key_id, scope=scope, source="10.0.0.9")


def test_an_issued_key_signs_within_its_scopes_and_binding(keys: BackendKeyService, verifier: BackendVerifier,
                                                          admin: StaffAccount) -> None:
    key, secret = keys.issue(admin, {"label": "市场监管局审批系统", "scopes": ["applications:write"],
                                     "department": "县市场监督管理局"}, "10.0.0.1")
    assert secret.startswith("mks_") and secret not in key.model_dump_json()
    caller = _call(verifier, secret, key.key_id, "applications:write", "nonce-0001")
    assert caller.actor == f"key:{key.key_id}" and caller.reaches("县市场监督管理局", "county")
    assert not caller.reaches("县公安局", "county")
    with pytest.raises(Forbidden, match="complaints:write"):
        _call(verifier, secret, key.key_id, "complaints:write", "nonce-0002")


def test_a_key_cannot_sign_as_another_and_the_default_key_cannot_sign_for_it(
        keys: BackendKeyService, verifier: BackendVerifier, admin: StaffAccount) -> None:
    key, secret = keys.issue(admin, {"label": "a", "scopes": ["complaints:read"]}, "")
    with pytest.raises(Unauthorized, match="bad signature"):
        _call(verifier, "default-hmac-key", key.key_id, "complaints:read", "nonce-0003")
    with pytest.raises(Unauthorized, match="bad signature"):
        _call(verifier, secret, None, "complaints:read", "nonce-0004")
    with pytest.raises(Unauthorized, match="unknown or revoked"):
        _call(verifier, secret, "mk_0000000000000000", "complaints:read", "nonce-0005")
    assert _call(verifier, "default-hmac-key", None, "reports:read", "nonce-0006").key_id == "default"


def test_rotation_keeps_both_keys_working_until_the_old_one_is_revoked(
        keys: BackendKeyService, verifier: BackendVerifier, admin: StaffAccount) -> None:
    old, old_secret = keys.issue(admin, {"label": "公安", "scopes": ["applications:write"], "tier": "county"}, "")
    new, new_secret = keys.rotate(admin, old.key_id, "")
    assert new.scopes == old.scopes and new.tier == old.tier and new.replaces == old.key_id
    assert new_secret != old_secret
    _call(verifier, old_secret, old.key_id, "applications:write", "nonce-0010")
    _call(verifier, new_secret, new.key_id, "applications:write", "nonce-0011")
    with pytest.raises(Conflict, match="already rotated"):
        keys.rotate(admin, old.key_id, "")
    keys.revoke(admin, old.key_id, "")
    with pytest.raises(Unauthorized, match="unknown or revoked"):
        _call(verifier, old_secret, old.key_id, "applications:write", "nonce-0012")
    _call(verifier, new_secret, new.key_id, "applications:write", "nonce-0013")
    with pytest.raises(Conflict, match="already revoked"):
        keys.revoke(admin, old.key_id, "")


def test_county_wide_scopes_are_refused_on_a_bound_key(keys: BackendKeyService, admin: StaffAccount) -> None:
    with pytest.raises(ValidationFailed) as refused:
        keys.issue(admin, {"label": "x", "scopes": ["reports:read"], "department": "县公安局"}, "")
    assert "county-wide" in str(refused.value.details)


def test_only_a_county_administrator_manages_keys(keys: BackendKeyService, fixed_clock: FixedClock) -> None:
    handler = StaffAccount(username="gaj", display_name="公安", role="department_handler", department="县公安局",
                           password_hash="x", created_at=fixed_clock.now())
    with pytest.raises(Forbidden):
        keys.issue(handler, {"label": "x", "scopes": ["complaints:read"]}, "")


def test_issuing_rotating_and_revoking_are_in_the_audit_log_without_secrets(
        keys: BackendKeyService, store: MemoryStore, admin: StaffAccount, fixed_clock: FixedClock) -> None:
    key, secret = keys.issue(admin, {"label": "民政", "scopes": ["rectifications:write"]}, "10.0.0.1")
    new, _ = keys.rotate(admin, key.key_id, "10.0.0.1")
    keys.revoke(admin, key.key_id, "10.0.0.1")
    entries, _ = store.unit_of_work().audit.of_month(fixed_clock.now().strftime("%Y-%m"), 10)
    assert [(e.action, e.target) for e in entries] == [("key.revoke", key.key_id), ("key.rotate", key.key_id),
                                                       ("key.issue", key.key_id)]
    assert entries[1].after == {"replaced_by": new.key_id} and entries[0].after["revoked_by"] == "admin"
    assert all(e.actor == "admin" and e.source == "10.0.0.1" for e in entries)
    assert secret not in repr(entries)


def test_two_keys_derived_from_different_roots_differ(store: MemoryStore, fixed_clock: FixedClock) -> None:
    one = BackendKeyService(store.unit_of_work, fixed_clock, key_root("root-one", "k"))
    two = BackendKeyService(store.unit_of_work, fixed_clock, key_root("", "k"))
    assert one.secret_of("mk_0123456789abcdef") != two.secret_of("mk_0123456789abcdef")


def test_a_scoped_key_on_a_route_that_declares_no_scope_is_refused(keys: BackendKeyService,
                                                                   verifier: BackendVerifier,
                                                                   admin: StaffAccount) -> None:
    key, secret = keys.issue(admin, {"label": "all", "scopes": ["complaints:read"]}, "")
    ts = str(int(verifier.clock.now().timestamp()))
    signature = sign(secret, ts, "nonce-0100", "POST", PATH, b"{}")
    with pytest.raises(Forbidden):
        verifier.verify(ts, "nonce-0100", signature, "POST", [PATH], b"{}", key_id=key.key_id, scope=None)


def test_a_department_and_tier_bound_key_works_its_departments_complaints_and_keeps_them_there(
        store: MemoryStore, fixed_clock: FixedClock) -> None:
    from shared.contract.commands import FileComplaint, RecordComplaintEvent
    from shared.contract.keys import BackendCaller, BackendKey
    from shared.contract.records import Citizen
    from shared.services.complaints import ComplaintService
    from shared.services.notices import NoticeService
    from shared.sessions import Principal
    from tests.helpers import FakeQueue

    complaints = ComplaintService(store.unit_of_work, NoticeService(store.unit_of_work, FakeQueue(), fixed_clock),
                                  fixed_clock, 7)
    citizen = Citizen(citizen_id="c-1", id_hash="h", id_masked="110***********002X", name="张*",
                      phone="+8613800138000", created_at=fixed_clock.now())
    no = complaints.file(Principal("wechat_mini", "o-1"), citizen, FileComplaint(content="办证慢")).complaint_no
    complaints.record_event(no, RecordComplaintEvent(status="assigned", department="县公安局"))
    key = BackendCaller.of(BackendKey(key_id="mk_00000000000000aa", label="公安", scopes=["complaints:read",
                                      "complaints:write"], department="县公安局", tier="county",
                                      created_at=fixed_clock.now(), created_by="admin"), "")
    assert [c.complaint_no for c in complaints.list_by_status(None, key)] == [no]
    with pytest.raises(Forbidden):
        complaints.record_event(no, RecordComplaintEvent(status="replied", reply="已处理", department="县民政局"), key)
    replied = complaints.record_event(no, RecordComplaintEvent(status="replied", reply="已处理"), key)
    assert replied.department == "县公安局"
