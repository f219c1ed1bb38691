"""Events: what happened (past-tense names); the notices and later issues react to them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """Base of all domain events."""


@dataclass(frozen=True)
class ApplicationSubmitted(Event):
    """A citizen applied."""

    application_no: str
    citizen_id: str
    item_code: str


@dataclass(frozen=True)
class ApplicationStatusChanged(Event):
    """The lifecycle moved."""

    application_no: str
    citizen_id: str
    status: str


@dataclass(frozen=True)
class ApplicationCompleted(ApplicationStatusChanged):
    """办结: the application is completed or rejected (a completion notice is owed)."""


@dataclass(frozen=True)
class SupplementRequired(ApplicationStatusChanged):
    """待补正: the citizen must add material."""


@dataclass(frozen=True)
class ApplicationRated(Event):
    """A citizen rated an application."""

    application_no: str
    level: int


@dataclass(frozen=True)
class RectificationOpened(Event):
    """A bad rating opened a 差评整改 case."""

    case_id: str
    application_no: str


@dataclass(frozen=True)
class ComplaintReplied(Event):
    """A department replied to a complaint (a complaint_reply notice is owed)."""

    complaint_no: str
    citizen_id: str


@dataclass(frozen=True)
class NoticeQueued(Event):
    """A notice was stored and waits for delivery."""

    notice_id: str
    kind: str
