"""State machines of docs/contract.md; any move not listed here is a 409.

Applications (申办)::

    submitted ──► accepted ──► in_review ──► completed (final)
        │            │            │  ▲
        │            │            ▼  │
        │            │     supplement_required
        ├─► rejected (final, 不予受理) ◄── in_review
        └─ withdrawn (final, by the citizen only) from any non-final status

Rectification cases (差评整改): open → verified → rectified → followed_up; open → dismissed.
Complaints (投诉): registered → assigned → replied → followed_up → closed.
"""

from __future__ import annotations

from shared.contract.vocabulary import AppStatus as A
from shared.contract.vocabulary import ComplaintStatus as C
from shared.contract.vocabulary import RectStatus as R
from shared.errors import InvalidTransition

APPLICATION_MOVES: dict[str, frozenset[str]] = {
    A.SUBMITTED: frozenset({A.ACCEPTED, A.REJECTED, A.WITHDRAWN}),
    A.ACCEPTED: frozenset({A.IN_REVIEW, A.WITHDRAWN}),
    A.IN_REVIEW: frozenset({A.SUPPLEMENT_REQUIRED, A.COMPLETED, A.REJECTED, A.WITHDRAWN}),
    A.SUPPLEMENT_REQUIRED: frozenset({A.IN_REVIEW, A.WITHDRAWN}),
    A.COMPLETED: frozenset(),
    A.REJECTED: frozenset(),
    A.WITHDRAWN: frozenset(),
}
FINAL_APPLICATION = frozenset({A.COMPLETED, A.REJECTED, A.WITHDRAWN})
RATABLE = frozenset({A.COMPLETED, A.REJECTED})
CITIZEN_ONLY = frozenset({A.WITHDRAWN})

RECTIFICATION_MOVES: dict[str, frozenset[str]] = {
    R.OPEN: frozenset({R.VERIFIED, R.DISMISSED}),
    R.VERIFIED: frozenset({R.RECTIFIED}),
    R.RECTIFIED: frozenset({R.FOLLOWED_UP}),
    R.FOLLOWED_UP: frozenset(),
    R.DISMISSED: frozenset(),
}

COMPLAINT_MOVES: dict[str, frozenset[str]] = {
    C.REGISTERED: frozenset({C.ASSIGNED}),
    C.ASSIGNED: frozenset({C.REPLIED}),
    C.REPLIED: frozenset({C.FOLLOWED_UP}),
    C.FOLLOWED_UP: frozenset({C.CLOSED}),
    C.CLOSED: frozenset(),
}


def check_move(moves: dict[str, frozenset[str]], current: str, target: str) -> None:
    """Raise InvalidTransition unless ``current → target`` is allowed."""
    if target not in moves.get(current, frozenset()):
        raise InvalidTransition(current, target)
