"""Races settled by conditional writes: idempotent submission, unique numbers, one rating, one citizen."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from functions.bootstrap import Services
from shared.contract.commands import BindIdentity, RateApplication, SubmitApplication
from shared.errors import AlreadyRated
from shared.personal_data import keyed_hash
from shared.sessions import Principal
from tests.helpers import VALID_ID, Api


def _race(n: int, fn: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as exc:  # collected for the assertions
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _bound(api: Api, svc: Services) -> tuple[Principal, Any]:
    token = api.citizen()
    who = svc.identity.authenticate(f"Bearer {token}")
    return who, svc.identity.citizen_of(who)


def test_same_idempotency_key_from_two_threads_creates_one_application(api: Api, svc: Services) -> None:
    who, person = _bound(api, svc)
    cmd = SubmitApplication(item_code="V-CW-001", form={"purpose": "入学"})
    results = _race(2, lambda _: svc.applications.submit(who, person, cmd, "same-key"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results[0].application_no == results[1].application_no
    assert len(svc.applications.list_own(person)) == 1


def test_two_ratings_at_once_leave_exactly_one(api: Api, svc: Services) -> None:
    who, person = _bound(api, svc)
    no = svc.applications.submit(who, person, SubmitApplication(item_code="V-CW-001", form={"purpose": "x"}),
                                 "k").application_no
    api.walk(no, "accepted", "in_review", "completed")
    results = _race(4, lambda i: svc.applications.rate(person, no, RateApplication(level=1 + i), "wechat_mini"))
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, AlreadyRated) for r in results if isinstance(r, Exception))
    cases = svc.rectifications.list_by_status(None)
    winner = next(r for r in results if not isinstance(r, Exception))
    assert len(cases) == (1 if winner.level <= 2 else 0)


class _AcceptingOtp:
    """Both binds carry a valid code (the race is about the citizen, not the OTP)."""

    def verify(self, phone: str, code: str) -> None:
        """Accept."""


def test_two_first_binds_of_one_id_number_create_one_citizen(svc: Services) -> None:
    from shared.services.identity import IdentityService

    ident = svc.identity
    racing = IdentityService(ident.uow, ident.tokens, _AcceptingOtp(), ident.pepper, ident.clock)  # type: ignore[arg-type]
    cmd = BindIdentity(id_number=VALID_ID, name="张三", phone="13800138000", otp="000000")
    principals = [Principal("wechat_mini", f"acct-{i}") for i in range(2)]
    results = _race(2, lambda i: racing.bind(principals[i], cmd))
    assert not [r for r in results if isinstance(r, Exception)], results
    citizens = {racing.citizen_of(p).citizen_id for p in principals}
    assert len(citizens) == 1
    assert racing.citizen_by_id_hash(keyed_hash(ident.pepper, VALID_ID)).citizen_id in citizens  # type: ignore[union-attr]
