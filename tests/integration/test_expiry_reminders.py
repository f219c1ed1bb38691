"""Expiry reminders: thresholds once each per licence and expiry, re-runs and late runs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from functions.bootstrap import Services
from functions.schedules import expiry_reminders
from shared.clock import CST
from tests.helpers import VALID_ID, Api, FakeQueue, scheduled_event

TODAY = date(2026, 9, 28)


def _licence(api: Api, licence_id: str, expires: date, kind: str = "driving_licence") -> None:
    out = api.backend("PUT", f"/backend/v1/licences/{licence_id}", {"id_number": VALID_ID, "kind": kind,
                                                                     "number": "X" + licence_id,
                                                                     "expires_on": expires.isoformat()})
    assert out.status_code == 200


def _run(day: date) -> Any:
    return expiry_reminders(scheduled_event(datetime(day.year, day.month, day.day, 9, tzinfo=CST)), None)


def _reminders(svc: Services, queue: FakeQueue) -> list[dict[str, Any]]:
    notices = svc.uow().notices
    items = [n.model_dump(mode="json") for n in (notices.get(i) for i in dict.fromkeys(queue.ids)) if n]
    return [i for i in items if i["kind"] == "expiry_reminder"]


@pytest.fixture
def citizen(api: Api) -> str:
    return api.citizen()


def test_each_threshold_day_sends_one_reminder(api: Api, svc: Services, queue: FakeQueue, citizen: str) -> None:
    _licence(api, "L30", TODAY + timedelta(days=30))
    _licence(api, "L7", TODAY + timedelta(days=7))
    _licence(api, "L1", TODAY + timedelta(days=1))
    _licence(api, "L20", TODAY + timedelta(days=20))  # between thresholds, 30 not yet reached? it was: late
    _licence(api, "L60", TODAY + timedelta(days=60))
    assert _run(TODAY)["queued"] == 4
    got = {(r["data"]["licence_id"], r["data"]["threshold"]) for r in _reminders(svc, queue)}
    assert got == {("L30", "30"), ("L7", "7"), ("L1", "1"), ("L20", "30")}


def test_running_twice_on_one_day_sends_nothing_more(api: Api, svc: Services, queue: FakeQueue, citizen: str) -> None:
    _licence(api, "L7", TODAY + timedelta(days=7))
    _run(TODAY)
    assert _run(TODAY)["queued"] == 0
    assert len(_reminders(svc, queue)) == 1


def test_a_sent_reminder_is_not_written_again_when_the_index_has_not_caught_up(
        api: Api, svc: Services, queue: FakeQueue, citizen: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _licence(api, "L7", TODAY + timedelta(days=7))
    _run(TODAY)
    (sent,) = _reminders(svc, queue)
    assert svc.delivery.deliver(sent["notice_id"]) == "delivered"
    real = svc.table.query

    def lagging(key: str, values: dict[str, Any], **kw: Any) -> Any:
        """gsi2 as an eventually consistent index may answer just after a write: without the reminder."""
        return [i for i in real(key, values, **kw) if not i.get("reminder_of")]

    monkeypatch.setattr(svc.table, "query", lagging)
    assert _run(TODAY)["queued"] == 0
    monkeypatch.undo()
    notices = api.backend("GET", "/backend/v1/notices?status=pending&kind=expiry_reminder").json_body["notices"]
    assert notices == [] and svc.delivery.deliver(sent["notice_id"]) == "skipped"


def test_a_missed_run_catches_up_with_the_nearest_threshold_only(api: Api, svc: Services, queue: FakeQueue,
                                                                 citizen: str) -> None:
    _licence(api, "L", TODAY + timedelta(days=35))
    _run(TODAY + timedelta(days=29))  # runs skipped while 30 days passed; now 6 days left: only the 7
    assert [r["data"]["threshold"] for r in _reminders(svc, queue)] == ["7"]
    _run(TODAY + timedelta(days=30))
    _run(TODAY + timedelta(days=34))
    assert [r["data"]["threshold"] for r in _reminders(svc, queue)] == ["7", "1"]


def test_a_changed_expiry_rearms_the_reminders(api: Api, svc: Services, queue: FakeQueue, citizen: str) -> None:
    _licence(api, "L", TODAY + timedelta(days=7))
    _run(TODAY)
    _licence(api, "L", TODAY + timedelta(days=37))
    _run(TODAY + timedelta(days=7))
    assert [(r["data"]["expires_on"], r["data"]["threshold"]) for r in _reminders(svc, queue)] == [
        ((TODAY + timedelta(days=7)).isoformat(), "7"), ((TODAY + timedelta(days=37)).isoformat(), "30")]


def test_thresholds_are_configurable_per_kind(api: Api, svc: Services, queue: FakeQueue, citizen: str) -> None:
    svc.reminders.thresholds = {"business_licence": (60, 15)}
    _licence(api, "B", TODAY + timedelta(days=15), kind="business_licence")
    _licence(api, "D", TODAY + timedelta(days=15), kind="driving_licence")
    _run(TODAY)
    assert {(r["data"]["licence_id"], r["data"]["threshold"]) for r in _reminders(svc, queue)} == {
        ("B", "15"), ("D", "30")}


def test_a_licence_whose_holder_has_not_bound_gets_none_until_they_do(api: Api, svc: Services,
                                                                      queue: FakeQueue) -> None:
    _licence(api, "L", TODAY + timedelta(days=7))
    assert _run(TODAY)["queued"] == 0
    api.citizen()
    assert _run(TODAY)["queued"] == 1


def test_the_reminder_text_names_the_licence_kind(api: Api, svc: Services, queue: FakeQueue, citizen: str) -> None:
    from shared.texts import render

    _licence(api, "L", TODAY + timedelta(days=7))
    _run(TODAY)
    data = _reminders(svc, queue)[0]["data"]
    expires = (TODAY + timedelta(days=7)).isoformat()
    assert render("expiry_reminder", data) == f"您的机动车驾驶证将于{expires}到期,还有7天,请及时办理。"
    assert render("expiry_reminder", data, "en") == f"Your driving licence expires on {expires}, in 7 days; " \
        "please renew it in time."
    assert render("expiry_reminder", {**data, "days_left": "1"}, "en").endswith("in 1 day; please renew it in time.")


def test_a_reminder_whose_queueing_failed_is_queued_by_the_sweeper(api: Api, svc: Services, queue: FakeQueue,
                                                                    citizen: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _licence(api, "L", TODAY + timedelta(days=7))

    def down(ids: list[str], **_: int) -> None:
        raise ConnectionError("sqs down")

    monkeypatch.setattr(queue, "enqueue", down)
    assert _run(TODAY) == {"queued": 1}
    monkeypatch.undo()
    assert queue.ids == []
    assert _run(TODAY) == {"queued": 0}  # written once: the next run does not write it again
    assert svc.notices.sweep(int(svc.clock.now().timestamp()) + 301) == 1
    assert len(queue.ids) == 1
