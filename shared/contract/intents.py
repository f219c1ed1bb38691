"""What a citizen asks for in a chat or SMS, once a channel has parsed the text (commands)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Intent:
    """Base of text commands."""

    effectful = False


@dataclass(frozen=True)
class AskProgress(Intent):
    """进度/查询/CX: one application, or the latest three when ``application_no`` is None."""

    application_no: str | None = None


@dataclass(frozen=True)
class RateByText(Intent):
    """评价/PJ <no> <1-5> [comment]."""

    application_no: str
    level: int
    comment: str | None = None
    effectful = True


@dataclass(frozen=True)
class ComplainByText(Intent):
    """投诉 <text>."""

    content: str
    effectful = True


@dataclass(frozen=True)
class AskBind(Intent):
    """绑定: how to bind this account."""


@dataclass(frozen=True)
class AskHelp(Intent):
    """Help, and anything not understood."""


INTENTS: dict[str, type[Intent]] = {c.__name__: c for c in (AskProgress, RateByText, ComplainByText, AskBind, AskHelp)}


def dump_intent(intent: Intent) -> dict[str, Any]:
    """A JSON-able form of an intent (for the chat queue)."""
    return {"type": type(intent).__name__, **asdict(intent)}


def load_intent(data: dict[str, Any]) -> Intent:
    """The intent of ``dump_intent`` output (KeyError/TypeError when malformed)."""
    fields = {k: v for k, v in data.items() if k != "type"}
    return INTENTS[data["type"]](**fields)


@dataclass(frozen=True)
class OptOutSms(Intent):
    """TD/T/退订: no more notices by SMS."""

    effectful = True


INTENTS[OptOutSms.__name__] = OptOutSms
