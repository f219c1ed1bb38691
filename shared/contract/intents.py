"""What a citizen asks for in a chat or SMS, once a channel has parsed the text (commands)."""

from __future__ import annotations

import re
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


@dataclass(frozen=True)
class AskQuestion(Intent):
    """Any other text: a question answered from the catalogue (智能问答)."""

    text: str


INTENTS: dict[str, type[Intent]] = {c.__name__: c for c in (AskProgress, RateByText, ComplainByText, AskBind, AskHelp,
                                                            AskQuestion)}


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


QUESTION_LIMIT = 200  # characters, as GET /v1/answers takes
_SPACES = re.compile(r"[\s\u3000]+")
_PROGRESS = re.compile(r"^(?:进度|查询|CX)\s*([!-~]+)?$", re.I)  # an application number is printable ASCII
_RATE = re.compile(r"^(?:评价|PJ)\s*(\S+)?(?:\s+(\d+))?(?:\s+(.*))?$", re.I | re.S)
_COMPLAIN = re.compile(r"^(?:投诉\s*|TS\s+)(.+)$", re.I | re.S)
_WORDS: dict[str, type[Intent]] = {"绑定": AskBind, "BD": AskBind, "退订": OptOutSms, "TD": OptOutSms,
                                   "T": OptOutSms, "帮助": AskHelp, "BZ": AskHelp, "HELP": AskHelp, "?": AskHelp,
                                   "？": AskHelp}


def parse_command(text: str) -> Intent:
    """The intent of a text, the same words on every channel (docs/contract.md): ``进度``/``查询``/``CX`` [no],
    ``评价``/``PJ`` <no> <1-5> [comment], ``投诉``/``TS`` <text>, ``绑定``/``BD``, ``退订``/``TD``/``T``,
    ``帮助``/``BZ``/``HELP``; any other text is a question (``AskQuestion``), an empty one help. Full-width
    spaces count as spaces; a level that is not one digit parses as 0 (the conversation answers with how to
    rate); ``查询`` followed by words, not a number, is a question (查询低保怎么办)."""
    text = _SPACES.sub(" ", text).strip()
    if word := _WORDS.get(text.upper()):
        return word()
    if m := _PROGRESS.match(text):
        return AskProgress(m.group(1).upper()[:64] if m.group(1) else None)
    if m := _RATE.match(text):
        level = m.group(2) or ""
        return RateByText((m.group(1) or "").upper()[:64], int(level) if len(level) == 1 else 0,
                          (m.group(3) or "").strip() or None)
    if m := _COMPLAIN.match(text):
        return ComplainByText(m.group(1).strip())
    return AskQuestion(text[:QUESTION_LIMIT]) if text else AskHelp()
