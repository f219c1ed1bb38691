"""Rating invites 3 days after completion, once, only while unrated and inside the window."""

from __future__ import annotations

from typing import Any

from functions.bootstrap import Services
from functions.schedules import rating_invites
from shared.clock import FixedClock
from tests.helpers import Api, FakeQueue, scheduled_event


def _run(clock: FixedClock) -> Any:
    return rating_invites(scheduled_event(clock.now()), None)


def _done(api: Api) -> tuple[str, str]:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    api.walk(no, "accepted", "in_review", "completed")
    return token, no


def _invites(svc: Services, queue: FakeQueue) -> list[dict[str, Any]]:
    notices = svc.uow().notices
    items = [n.model_dump(mode="json") for n in (notices.get(i) for i in dict.fromkeys(queue.ids)) if n]
    return [i for i in items if i["kind"] == "rating_invite"]


def test_an_unrated_application_is_invited_on_the_third_day_once(api: Api, svc: Services, clock: FixedClock,
                                                                 queue: FakeQueue) -> None:
    _, no = _done(api)
    clock.advance(days=2)
    assert _run(clock) == {"invited": 0}
    clock.advance(days=1)
    assert _run(clock) == {"invited": 1}
    assert _run(clock) == {"invited": 0}
    assert [i["application_no"] for i in _invites(svc, queue)] == [no]


def test_a_rated_application_is_not_invited(api: Api, svc: Services, clock: FixedClock, queue: FakeQueue) -> None:
    token, no = _done(api)
    api.call("POST", f"/v1/applications/{no}/rating", {"level": 5}, token)
    clock.advance(days=3)
    assert _run(clock) == {"invited": 0}


def test_a_missed_run_catches_up_inside_the_window(api: Api, svc: Services, clock: FixedClock,
                                                   queue: FakeQueue) -> None:
    _done(api)
    clock.advance(days=10)
    assert _run(clock) == {"invited": 1}
    _done(api)
    clock.advance(days=31)
    assert _run(clock) == {"invited": 0}  # past the rating window: no invite
