"""One contract for both storage adapters: what a service may rely on, on moto and in memory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from shared.clock import CST
from shared.contract.records import (
    Address,
    Application,
    ChannelAccount,
    Citizen,
    Complaint,
    DeliveryAttempt,
    Notice,
    Preferences,
    Rating,
    TimelineEntry,
)
from shared.storage.ports import UnitOfWork, WriteConflict

AT = datetime(2026, 9, 28, 10, 0, tzinfo=CST)


def _app(no: str = "SB20260928000001", citizen: str = "c-1", at: datetime = AT) -> Application:
    return Application(application_no=no, citizen_id=citizen, account="wechat_mini#o-1", item_code="V-CW-001",
                       item_name="村务证明", form={"purpose": "入学"}, status="submitted",
                       timeline=[TimelineEntry(status="submitted", at=at)], submitted_at=at)


def _complaint(no: str, due: date, status: str = "registered") -> Complaint:
    return Complaint(complaint_no=no, citizen_id="c-1", account="wechat_mini#o-1", content="窗口人员态度不好",
                     status=status, due=due, timeline=[TimelineEntry(status=status, at=AT)])


def _add(uow: Callable[[], UnitOfWork], app: Application) -> None:
    unit = uow()
    unit.applications.add(app)
    unit.commit()


def test_an_added_record_reads_back_as_it_was(uow: Callable[[], UnitOfWork]) -> None:
    _add(uow, _app())
    assert uow().applications.get("SB20260928000001") == _app()
    assert uow().applications.get("SB20260928000002") is None
    assert uow().applications.get("SB" + "9" * 100) is None


def test_a_taken_key_is_a_conflict_and_nothing_of_the_unit_is_written(uow: Callable[[], UnitOfWork]) -> None:
    _add(uow, _app())
    unit = uow()
    unit.idempotency.add("wechat_mini#o-1#key-1", "hash", "SB20260928000001", 0)
    unit.applications.add(_app(citizen="c-2"))
    with pytest.raises(WriteConflict) as caught:
        unit.commit()
    assert caught.value.label == "applications.add"
    assert uow().idempotency.get("wechat_mini#o-1#key-1") is None
    assert uow().applications.get("SB20260928000001").citizen_id == "c-1"  # type: ignore[union-attr]


def test_an_idempotency_key_gives_back_its_body_hash_and_result(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    unit.idempotency.add("wechat_mini#o-1#key-1", "hash-1", "SB20260928000001", 0)
    unit.applications.add(_app())
    unit.commit()
    assert uow().idempotency.get("wechat_mini#o-1#key-1") == ("hash-1", "SB20260928000001")
    again = uow()
    again.idempotency.add("wechat_mini#o-1#key-1", "hash-2", "SB20260928000002", 0)
    with pytest.raises(WriteConflict, match=r"idempotency\.add"):
        again.commit()


def test_a_move_appends_to_the_timeline_and_sets_what_changed(uow: Callable[[], UnitOfWork]) -> None:
    before = _app()
    _add(uow, before)
    later = AT + timedelta(hours=1)
    after = before.model_copy(update={"status": "accepted", "deadline": date(2026, 10, 9),
                                      "timeline": [*before.timeline, TimelineEntry(status="accepted", at=later,
                                                                                   note="受理")]})
    unit = uow()
    unit.applications.move(before, after)
    unit.commit()
    assert uow().applications.get(before.application_no) == after


def test_a_move_from_a_status_the_record_has_left_is_a_conflict(uow: Callable[[], UnitOfWork]) -> None:
    before = _app()
    _add(uow, before)
    first, second = uow(), uow()
    first.applications.move(before, before.model_copy(update={"status": "accepted"}))
    second.applications.move(before, before.model_copy(update={"status": "withdrawn"}))
    first.commit()
    with pytest.raises(WriteConflict, match=r"applications\.move"):
        second.commit()
    assert uow().applications.get(before.application_no).status == "accepted"  # type: ignore[union-attr]


def test_a_rating_lands_once(uow: Callable[[], UnitOfWork]) -> None:
    done = _app().model_copy(update={"status": "completed", "finished_at": AT})
    _add(uow, done)
    rated = [done.model_copy(update={"rating": Rating(level=level, rated_at=AT)}) for level in (5, 1)]
    first, second = uow(), uow()
    first.applications.rate(done, rated[0])
    second.applications.rate(done, rated[1])
    first.commit()
    with pytest.raises(WriteConflict):
        second.commit()
    assert uow().applications.get(done.application_no).rating.level == 5  # type: ignore[union-attr]


def test_a_citizens_applications_come_newest_first(uow: Callable[[], UnitOfWork]) -> None:
    for n in range(3):
        _add(uow, _app(no=f"SB2026092800000{n}", at=AT + timedelta(minutes=n)))
    _add(uow, _app(no="SB20260928000009", citizen="c-2"))
    assert [a.application_no for a in uow().applications.of_citizen("c-1")] == [
        "SB20260928000002", "SB20260928000001", "SB20260928000000"]
    assert [a.application_no for a in uow().applications.of_citizen("c-1", limit=1)] == ["SB20260928000002"]


def test_complaints_in_a_status_come_oldest_due_first_and_follow_their_moves(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    for no, due in (("TS1", date(2026, 10, 9)), ("TS2", date(2026, 10, 5)), ("TS3", date(2026, 10, 7))):
        unit.complaints.add(_complaint(no, due))
    unit.commit()
    assert [c.complaint_no for c in uow().complaints.in_status("registered")] == ["TS2", "TS3", "TS1"]
    two = uow().complaints.get("TS2")
    assert two is not None
    unit = uow()
    unit.complaints.move(two, two.model_copy(update={"status": "assigned", "department": "县民政局"}))
    unit.commit()
    assert [c.complaint_no for c in uow().complaints.in_status("registered")] == ["TS3", "TS1"]
    assert [(c.complaint_no, c.department) for c in uow().complaints.in_status("assigned")] == [("TS2", "县民政局")]
    first = uow().complaints.in_status_after("registered", None, 1)
    assert [c.complaint_no for c in first] == ["TS3"]
    after = f"{first[0].due.isoformat()}#TS3"
    assert [c.complaint_no for c in uow().complaints.in_status_after("registered", after, 5)] == ["TS1"]


def test_finished_applications_are_found_by_day_and_invited_once(uow: Callable[[], UnitOfWork]) -> None:
    done = _app().model_copy(update={"status": "completed", "finished_at": AT,
                                     "timeline": [*_app().timeline, TimelineEntry(status="completed", at=AT)]})
    _add(uow, _app())
    unit = uow()
    unit.applications.move(_app(), done)
    unit.commit()
    assert [a.application_no for a in uow().applications.finished_on(AT.date())] == [done.application_no]
    assert uow().applications.finished_on(AT.date() + timedelta(days=1)) == []
    first, second = uow(), uow()
    first.applications.invite(done)
    second.applications.invite(done)
    first.commit()
    with pytest.raises(WriteConflict, match=r"applications\.invite"):
        second.commit()
    assert uow().applications.get(done.application_no).invited  # type: ignore[union-attr]


def test_overdue_items_are_found_and_supervised_once(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    unit.complaints.add(_complaint("TS1", date(2026, 9, 20)))
    unit.complaints.add(_complaint("TS2", date(2026, 10, 20)))
    unit.commit()
    (late,) = uow().complaints.overdue("registered", date(2026, 9, 28))
    assert late.complaint_no == "TS1"
    entry = TimelineEntry(status="supervised", at=AT, note="督办")
    first, second = uow(), uow()
    first.complaints.supervise(late, entry, "县民政局")
    second.complaints.supervise(late, entry, "县民政局")
    first.commit()
    with pytest.raises(WriteConflict):
        second.commit()
    stored = uow().complaints.get("TS1")
    assert stored is not None and stored.supervised and stored.status == "registered"
    assert [e.status for e in stored.timeline] == ["registered", "supervised"]


def _citizen(citizen_id: str = "c-1", id_hash: str = "h-1") -> Citizen:
    return Citizen(citizen_id=citizen_id, id_hash=id_hash, id_masked="110***********002X", name="张三",
                   phone="+8613800138000", preferences=Preferences(channels=["wechat_mini", "sms"]), created_at=AT)


def test_a_citizen_is_found_by_id_hash_and_phone_and_held_once(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    unit.citizens.add(_citizen())
    unit.commit()
    assert uow().citizens.by_id_hash("h-1") == uow().citizens.get("c-1") == _citizen()
    assert uow().citizens.by_phone("+8613800138000") == _citizen()
    assert uow().citizens.by_phone("+8613900000000") is None
    again = uow()
    again.citizens.add(_citizen("c-2", "h-1"))
    with pytest.raises(WriteConflict, match=r"citizens\.add"):
        again.commit()
    assert uow().citizens.get("c-2") is None


def test_an_account_binds_to_one_citizen_and_the_binding_is_listed(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    unit.citizens.add(_citizen())
    unit.citizens.add(_citizen("c-2", "h-2"))
    unit.commit()
    mini = ChannelAccount(channel="wechat_mini", account="o-1")
    unit = uow()
    unit.accounts.link(mini, "c-1", "zh-CN", AT)
    unit.commit()
    for citizen_id, label in (("c-1", "accounts.binding"), ("c-2", "accounts.link")):
        unit = uow()
        unit.accounts.link(mini, citizen_id, "zh-CN", AT)
        with pytest.raises(WriteConflict) as caught:
            unit.commit()
        assert caught.value.label == label
    stored = uow().accounts.get("wechat_mini", "o-1")
    assert stored is not None and (stored.citizen_id, stored.locale) == ("c-1", "zh-CN")
    assert [(b.channel, b.account) for b in uow().citizens.bindings("c-1")] == [("wechat_mini", "o-1")]
    assert uow().citizens.bindings("c-2") == []


def test_accounts_carry_their_unionid_and_are_read_with_an_application(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    unit.accounts.update("wechat_oa", "oa-1", unionid="u-1")
    unit.accounts.update("wechat_mini", "mini-1", unionid="u-1")
    unit.applications.add(_app())
    unit.commit()
    assert sorted(a.account for a in uow().accounts.of_unionid("u-1")) == ["mini-1", "oa-1"]
    account, app = uow().accounts.with_application("wechat_oa", "oa-1", "SB20260928000001")
    assert account is not None and account.unionid == "u-1" and app == _app()
    assert uow().accounts.with_application("wechat_oa", "nobody", "SB" + "1" * 80) == (None, None)


def test_preferences_change_and_the_sms_opt_out_lands_once(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    unit.citizens.add(_citizen())
    unit.commit()
    unit = uow()
    unit.citizens.set_preferences("c-1", {"channels": ["sms"], "locale": "en"}, True)
    unit.citizens.opt_out_sms("c-1")
    with pytest.raises(ValueError, match="once"):  # one record, twice in one unit: refused, nothing written
        unit.commit()
    assert uow().citizens.get("c-1") == _citizen()
    for change in (lambda u: u.citizens.set_preferences("c-1", {"channels": ["sms"], "locale": "en"}, True),
                   lambda u: u.citizens.opt_out_sms("c-1")):
        unit = uow()
        change(unit)
        unit.commit()
    stored = uow().citizens.get("c-1")
    assert stored is not None and stored.channels_chosen
    assert (stored.preferences.channels, stored.preferences.locale, stored.preferences.sms_opt_out) == (
        ["sms"], "en", True)
    unit = uow()
    unit.citizens.opt_out_sms("c-1")
    with pytest.raises(WriteConflict, match=r"citizens\.opt_out"):
        unit.commit()


def test_licences_are_kept_by_holder_and_replaced_whole(uow: Callable[[], UnitOfWork]) -> None:
    from shared.contract.records import Licence

    first = Licence(licence_id="L-1", id_hash="h-1", kind="driving_licence", number_masked="110***********0020",
                    number_hash="nh", expires_on=date(2027, 3, 1), updated_at=AT)
    for version in (first, first.model_copy(update={"expires_on": date(2032, 3, 1)})):
        unit = uow()
        unit.licences.put(version, None)
        unit.commit()
    assert uow().licences.of_holder("h-1") == [first.model_copy(update={"expires_on": date(2032, 3, 1)})]
    assert uow().licences.of_holder("h-2") == []
    assert uow().citizens.id_of("h-1") is None


def test_a_move_clears_what_the_record_no_longer_has(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    unit.complaints.add(_complaint("TS1", date(2026, 10, 9)).model_copy(update={"department": "县民政局"}))
    unit.commit()
    before = uow().complaints.get("TS1")
    assert before is not None
    unit = uow()
    unit.complaints.move(before, before.model_copy(update={"status": "assigned", "department": None}))
    unit.commit()
    after = uow().complaints.get("TS1")
    assert after is not None and (after.status, after.department) == ("assigned", None)


def test_consent_credits_count_up_to_a_cap_and_down_to_zero(uow: Callable[[], UnitOfWork]) -> None:
    credits = uow().credits
    for _ in range(3):
        credits.add("wechat_mini", "o-1", "TPL", 2)
    assert credits.held("wechat_mini", "o-1") == {"TPL": 2}
    assert [credits.take("wechat_mini", "o-1", "TPL") for _ in range(3)] == [True, True, False]
    credits.give_back("wechat_mini", "o-1", "TPL")
    assert uow().credits.held("wechat_mini", "o-1") == {"TPL": 1}
    credits.clear("wechat_mini", "o-1", "TPL")
    assert uow().credits.held("wechat_mini", "o-1") == {}
    assert uow().credits.held("wechat_mini", "o-2") == {}


def test_a_nonce_is_accepted_once_until_it_expires(uow: Callable[[], UnitOfWork]) -> None:
    nonces = uow().nonces
    assert nonces.remember("n-12345678", 1000, 600) is True
    assert uow().nonces.remember("n-12345678", 1300, 600) is False
    assert uow().nonces.remember("n-12345678", 1601, 600) is True
    assert uow().nonces.remember("n-87654321", 1300, 600) is True


def test_a_code_waits_out_its_resend_gap_counts_tries_and_is_consumed_once(uow: Callable[[], UnitOfWork]) -> None:
    codes = uow().otp_codes
    assert codes.issue("+8613800138000", "hash-1", 1000, 300, 60) is None
    assert codes.issue("+8613800138000", "hash-2", 1030, 300, 60) == 30
    assert uow().otp_codes.attempt("+8613800138000", 1040, 5) == ("hash-1", 1)
    assert uow().otp_codes.attempt("+8613800138000", 1041, 5) == ("hash-1", 2)
    assert uow().otp_codes.consume("+8613800138000", 1) is False  # a later try came in between
    assert uow().otp_codes.consume("+8613800138000", 2) is True
    assert uow().otp_codes.attempt("+8613800138000", 1042, 5) is None
    assert uow().otp_codes.issue("+8613800138000", "hash-3", 1100, 300, 60) is None
    assert uow().otp_codes.attempt("+8613800138000", 1401, 5) is None  # expired


def test_window_counters_stop_at_the_limit_and_give_back(uow: Callable[[], UnitOfWork]) -> None:
    counters = uow().counters
    assert [counters.count("otp_all", 60, 2, 1000 + i) for i in range(3)] == [0, 0, 18]  # window 960-1020
    uow().counters.uncount("otp_all", 60, 1000)
    assert uow().counters.count("otp_all", 60, 2, 1001) == 0
    assert uow().counters.count("otp_all", 60, 2, 1021) == 0  # a new window


def test_a_send_log_is_replaced_only_over_the_version_read(uow: Callable[[], UnitOfWork]) -> None:
    logs = uow().send_logs
    assert logs.read("+8613800138000") == ({}, 0)
    assert logs.replace("+8613800138000", {"notice": [1000]}, 0, 9999) is True
    assert logs.replace("+8613800138000", {"notice": [1001]}, 0, 9999) is False
    assert uow().send_logs.read("+8613800138000") == ({"notice": [1000]}, 1)
    assert uow().send_logs.replace("+8613900000000", {"notice": [1]}, 3, 9999) is False  # gone: stays gone


def test_an_answer_is_kept_once_and_may_take_over_its_own_hold(uow: Callable[[], UnitOfWork]) -> None:
    inbound = uow().inbound
    assert inbound.keep_first("msg:1", "answer-1", 1000, 86400) == "answer-1"
    assert uow().inbound.keep_first("msg:1", "answer-2", 1001, 86400) == "answer-1"
    assert uow().inbound.claim("msg:2", "HOLD", 1000, 86400) is None
    assert uow().inbound.claim("msg:2", "HOLD", 1001, 86400) == "HOLD"
    unit = uow()
    unit.inbound.answer("msg:2", "answer-2", 1002, 86400)
    with pytest.raises(WriteConflict, match=r"inbound\.answer"):
        unit.commit()
    unit = uow()
    unit.inbound.answer("msg:2", "answer-2", 1002, 86400, over="HOLD")
    unit.commit()
    assert uow().inbound.get("msg:2") == "answer-2"
    uow().inbound.release("msg:2", "HOLD")  # answered meanwhile: stays
    assert uow().inbound.get("msg:2") == "answer-2"
    assert uow().inbound.first_body("req-1", "d1", 1000, 600) is True
    assert uow().inbound.first_body("req-1", "d1", 1001, 600) is True
    assert uow().inbound.first_body("req-1", "d2", 1002, 600) is False


def _notice(notice_id: str = "n-1", **changes: object) -> Notice:
    return Notice(notice_id=notice_id, kind="completion", citizen_id="c-1", application_no="SB20260928000001",
                  created_at=AT, next_at=int(AT.timestamp()), data={"item_name": "村务证明"}).model_copy(update=changes)


def test_a_notice_is_tried_under_a_lease_one_try_at_a_time(uow: Callable[[], UnitOfWork]) -> None:
    unit = uow()
    unit.notices.add(_notice())
    unit.commit()
    now = int(AT.timestamp())
    notices = uow().notices
    held, why = notices.claim("n-1", 0, now, 60)
    assert held is not None and why == ""
    assert uow().notices.claim("n-1", 0, now + 1, 60) == (None, "another worker holds it")
    assert uow().notices.claim("n-1", 1, now + 61, 60) == (None, "stale message")
    tried = DeliveryAttempt(channel="wechat_mini", at=AT, outcome="failed_transient", detail="system busy")
    notices.wait(held, [tried], now + 30, None)
    with pytest.raises(WriteConflict):
        notices.delivered(held, [])  # that try's lease is gone
    assert [n.notice_id for n in uow().notices.overdue(now + 31)] == ["n-1"]
    assert uow().notices.overdue(now + 30) == []
    again, _ = uow().notices.claim("n-1", 1, now + 31, 60)
    assert again is not None and again.gen == 1
    uow().notices.delivered(again, [DeliveryAttempt(channel="sms", at=AT, outcome="delivered")])
    stored = uow().notices.get("n-1")
    assert stored is not None and stored.status == "delivered"
    assert [a.outcome for a in stored.attempts] == ["failed_transient", "delivered"]
    assert uow().notices.in_state("pending") == [] and uow().notices.overdue(now + 9999) == []
    assert uow().notices.claim("n-1", 1, now + 99, 60) == (None, "delivered")


def test_a_failed_notice_is_listed_retried_once_and_dead_letters_only_its_own_gen(
        uow: Callable[[], UnitOfWork]) -> None:
    now = int(AT.timestamp())
    uow().notices.put_many([_notice("n-1"), _notice("n-2", application_no=None,
                                                    to=Address(channel="sms", account="+8613700000001"))])
    closing = DeliveryAttempt(channel="minqing", at=AT, outcome="failed", detail="dead-lettered")
    assert uow().notices.dead_letter("n-1", 5, now, closing) is None  # an older message: nothing
    failed = uow().notices.dead_letter("n-1", 0, now, closing)
    assert failed is not None and failed.status == "failed"
    assert [n.notice_id for n in uow().notices.in_state("failed")] == ["n-1"]
    assert [n.notice_id for n in uow().notices.to_address("+8613700000001")] == ["n-2"]
    assert [n.notice_id for n in uow().notices.of_application("SB20260928000001")] == ["n-1"]
    assert uow().notices.existing(["n-1", "n-3"]) == {"n-1"}
    reopened = uow().notices.retry(failed, now + 10)
    assert reopened is not None and (reopened.status, reopened.gen, reopened.budget_from) == ("pending", 1, 1)
    assert uow().notices.retry(failed, now + 11) is None
    assert {n.notice_id for n in uow().notices.in_state("pending")} == {"n-1", "n-2"}


def test_licences_expiring_on_a_day_come_with_the_reminders_already_written(uow: Callable[[], UnitOfWork]) -> None:
    from shared.contract.records import Licence

    licence = Licence(licence_id="L-1", id_hash="h-1", kind="driving_licence", number_masked="x", number_hash="y",
                      expires_on=date(2026, 10, 5), updated_at=AT)
    unit = uow()
    unit.licences.put(licence, "c-1")
    unit.commit()
    assert uow().licences.expiring_on(date(2026, 10, 5)) == ([(licence, "c-1")], set())
    reminder = _notice("r-1", kind="expiry_reminder", application_no=None,
                       data={"licence_id": "L-1", "expires_on": "2026-10-05", "threshold": "7"})
    uow().notices.put_many([reminder])
    assert uow().licences.expiring_on(date(2026, 10, 5))[1] == {("L-1", 7)}
    assert uow().licences.expiring_on(date(2026, 10, 6)) == ([], set())
