"""The three state machines: every listed move passes, every other pair is a 409."""

from __future__ import annotations

from itertools import product

import pytest

from shared.contract.vocabulary import AppStatus, ComplaintStatus, RectStatus
from shared.errors import InvalidTransition
from shared.lifecycle import APPLICATION_MOVES, COMPLAINT_MOVES, RECTIFICATION_MOVES, check_move

# The moves of docs/contract.md ("Domain vocabulary"), written out independently of shared.lifecycle.
APPLICATION_EDGES = {
    ("submitted", "accepted"), ("submitted", "rejected"), ("submitted", "withdrawn"),
    ("accepted", "in_review"), ("accepted", "withdrawn"),
    ("in_review", "supplement_required"), ("in_review", "completed"), ("in_review", "rejected"),
    ("in_review", "withdrawn"),
    ("supplement_required", "in_review"), ("supplement_required", "withdrawn"),
}
RECTIFICATION_EDGES = {
    ("open", "verified"), ("open", "dismissed"), ("verified", "rectified"), ("rectified", "followed_up"),
}
COMPLAINT_EDGES = {
    ("registered", "assigned"), ("assigned", "replied"), ("replied", "followed_up"), ("followed_up", "closed"),
}

MACHINES = [
    ("application", APPLICATION_MOVES, [s.value for s in AppStatus], APPLICATION_EDGES),
    ("rectification", RECTIFICATION_MOVES, [s.value for s in RectStatus], RECTIFICATION_EDGES),
    ("complaint", COMPLAINT_MOVES, [s.value for s in ComplaintStatus], COMPLAINT_EDGES),
]

ALLOWED = [pytest.param(moves, a, b, id=f"{name}:{a}->{b}")
           for name, moves, statuses, edges in MACHINES for a, b in product(statuses, statuses) if (a, b) in edges]
REFUSED = [pytest.param(moves, a, b, id=f"{name}:{a}->{b}")
           for name, moves, statuses, edges in MACHINES for a, b in product(statuses, statuses)
           if (a, b) not in edges]


@pytest.mark.parametrize(("moves", "current", "target"), ALLOWED)
def test_an_allowed_move_passes(moves: dict[str, frozenset[str]], current: str, target: str) -> None:
    check_move(moves, current, target)


@pytest.mark.parametrize(("moves", "current", "target"), REFUSED)
def test_any_other_move_is_an_invalid_transition(moves: dict[str, frozenset[str]], current: str,
                                                 target: str) -> None:
    with pytest.raises(InvalidTransition) as raised:
        check_move(moves, current, target)
    assert raised.value.status == 409
    assert current in raised.value.message and target in raised.value.message


@pytest.mark.parametrize(("name", "moves", "statuses"), [(n, m, s) for n, m, s, _ in MACHINES],
                         ids=[n for n, *_ in MACHINES])
def test_every_status_of_the_vocabulary_is_in_the_table(name: str, moves: dict[str, frozenset[str]],
                                                        statuses: list[str]) -> None:
    assert set(moves) == set(statuses)


def test_a_move_from_an_unknown_status_is_an_invalid_transition() -> None:
    with pytest.raises(InvalidTransition):
        check_move(APPLICATION_MOVES, "lost", "accepted")


@pytest.mark.parametrize("final", ["completed", "rejected", "withdrawn"])
def test_a_final_application_status_cannot_be_withdrawn_or_reopened(final: str) -> None:
    for target in ("withdrawn", "submitted", "in_review"):
        with pytest.raises(InvalidTransition):
            check_move(APPLICATION_MOVES, final, target)
