"""Events: what happened (past-tense names). Services return them; one policy
(``shared.services.notice_policy``) decides which messages each one owes a person."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    """The lifecycle moved; ``step`` is the timeline position, ``origin`` the channel applied on."""

    application_no: str
    citizen_id: str
    status: str
    item_name: str = ""
    note: str = ""
    origin: str = ""
    step: int = 0


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
    reply: str = ""
    application_no: str | None = None
    step: int = 0


@dataclass(frozen=True)
class RatingInvited(Event):
    """A finished application was not rated after some days: invite the citizen (好差评邀请)."""

    application_no: str
    citizen_id: str
    item_name: str


@dataclass(frozen=True)
class LicenceExpiring(Event):
    """A licence reached a reminder threshold (到期提醒); ``reminder_id`` is the same for a re-run."""

    reminder_id: str
    licence_id: str
    citizen_id: str
    kind: str
    expires_on: str
    days_left: int
    threshold: int


@dataclass(frozen=True)
class ItemSupervised(Event):
    """督办: a complaint (``complaint``) or a rectification case (``case``) is overdue."""

    what: str
    number: str
    due: str
    department: str


@dataclass(frozen=True)
class MessageAnswered(Event):
    """A person's message (an SMS, an OA chat message) was answered; the answer leaves later."""

    channel: str
    account: str
    locale: str
    key: str
    text: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NoticeQueued(Event):
    """A notice was stored and waits for delivery."""

    notice_id: str
    kind: str
