"""ApplicationService on the in-memory store: submission, the lifecycle and ratings."""

from __future__ import annotations

import pytest

from shared.clock import FixedClock
from shared.contract.commands import RateApplication, RecordApplicationEvent, SubmitApplication
from shared.contract.records import Citizen
from shared.errors import AlreadyRated, IdempotencyConflict, InvalidTransition, NotFound, NotRatable, ValidationFailed
from shared.services.applications import ApplicationService
from shared.sessions import Principal
from shared.storage.memory import MemoryStore
from tests.helpers import FakeQueue

FORM = SubmitApplication(item_code="V-CW-001", form={"purpose": "入学"})


def _walk(applications: ApplicationService, no: str, *statuses: str) -> None:
    for status in statuses:
        applications.record_event(no, RecordApplicationEvent(status=status))


def test_the_same_key_and_body_give_back_the_same_application(applications: ApplicationService, citizen: Citizen,
                                                              principal: Principal) -> None:
    first = applications.submit(principal, citizen, FORM, "key-1")
    again = applications.submit(principal, citizen, FORM, "key-1")
    assert again.application_no == first.application_no
    assert [p.application_no for p in applications.list_own(citizen)] == [first.application_no]


def test_the_same_key_with_another_body_is_an_idempotency_conflict(applications: ApplicationService,
                                                                  citizen: Citizen, principal: Principal) -> None:
    applications.submit(principal, citizen, FORM, "key-1")
    with pytest.raises(IdempotencyConflict):
        applications.submit(principal, citizen, SubmitApplication(item_code="V-CW-001", form={"purpose": "就业"}),
                            "key-1")


def test_an_incomplete_form_names_the_missing_field(applications: ApplicationService, citizen: Citizen,
                                                   principal: Principal) -> None:
    with pytest.raises(ValidationFailed) as caught:
        applications.submit(principal, citizen, SubmitApplication(item_code="V-CW-001", form={"x": "1"}), "key-2")
    assert {d["field"] for d in caught.value.details} >= {"form.purpose", "form.x"}


def test_completion_stores_a_notice_with_the_move_and_queues_it(
        applications: ApplicationService, citizen: Citizen, principal: Principal, store: MemoryStore,
        outbox: tuple[object, FakeQueue]) -> None:
    no = applications.submit(principal, citizen, FORM, "key-1").application_no
    _walk(applications, no, "accepted", "in_review", "completed")
    view = applications.get_own(citizen, no)
    assert [e.status for e in view.timeline] == ["submitted", "accepted", "in_review", "completed"]
    assert view.deadline is not None and view.finished_at is not None
    notices = list(store.records["notices"].values())
    assert [(n.kind, n.application_no) for n in notices] == [("completion", no)]
    assert outbox[1].ids == [notices[0].notice_id]


def test_a_move_the_lifecycle_forbids_changes_nothing(applications: ApplicationService, citizen: Citizen,
                                                     principal: Principal) -> None:
    no = applications.submit(principal, citizen, FORM, "key-1").application_no
    with pytest.raises(InvalidTransition):
        _walk(applications, no, "completed")
    with pytest.raises(InvalidTransition):
        _walk(applications, no, "withdrawn")  # the citizen's move, not the backend's
    assert applications.get_own(citizen, no).status == "submitted"


def test_a_low_rating_opens_a_rectification_case_and_a_second_rating_is_refused(
        applications: ApplicationService, citizen: Citizen, principal: Principal, store: MemoryStore) -> None:
    no = applications.submit(principal, citizen, FORM, "key-1").application_no
    with pytest.raises(NotRatable):
        applications.rate(citizen, no, RateApplication(level=5), "wechat_mini")
    _walk(applications, no, "accepted", "in_review", "completed")
    rated = applications.rate(citizen, no, RateApplication(level=2, comment="等太久"), "wechat_mini")
    assert rated.level == 2 and rated.label
    cases = list(store.records["cases"].values())
    assert [(c.application_no, c.status, c.level) for c in cases] == [(no, "open", 2)]
    assert [e["level"] for e in store.rating_log] == [2]
    with pytest.raises(AlreadyRated):
        applications.rate(citizen, no, RateApplication(level=5), "wechat_mini")


def test_the_rating_window_closes(applications: ApplicationService, citizen: Citizen, principal: Principal,
                                  fixed_clock: FixedClock) -> None:
    no = applications.submit(principal, citizen, FORM, "key-1").application_no
    _walk(applications, no, "accepted", "in_review", "completed")
    fixed_clock.advance(days=31)
    with pytest.raises(NotRatable):
        applications.rate(citizen, no, RateApplication(level=5), "wechat_mini")


def test_another_citizens_application_is_not_found(applications: ApplicationService, citizen: Citizen,
                                                   principal: Principal) -> None:
    no = applications.submit(principal, citizen, FORM, "key-1").application_no
    other = citizen.model_copy(update={"citizen_id": "c-2"})
    with pytest.raises(NotFound):
        applications.get_own(other, no)
    assert applications.list_own(other) == []


def test_a_colliding_application_number_is_drawn_again(store: MemoryStore, outbox: tuple[object, FakeQueue],
                                                       fixed_clock: FixedClock, citizen: Citizen,
                                                       principal: Principal) -> None:
    from shared.approval.builtin import BuiltinApprovalBackend

    draws = iter([123456, 123456, 654321])
    service = ApplicationService(store.unit_of_work, BuiltinApprovalBackend(), outbox[0], fixed_clock,  # type: ignore[arg-type]
                                 rating_window_days=30, rectify_working_days=15, serials=draws.__next__)
    first = service.submit(principal, citizen, FORM, "k1")
    second = service.submit(principal, citizen, FORM, "k2")
    assert (first.application_no, second.application_no) == ("SB20260928123456", "SB20260928654321")
    assert len(service.list_own(citizen)) == 2
