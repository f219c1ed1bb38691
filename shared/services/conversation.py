"""Text conversations (OA chat, two-way SMS): one intent in, one reply out.

Channels parse their own syntax into intents; the answers are the same on every channel.
"""

from __future__ import annotations

import logging

from shared.contract.commands import FileComplaint, RateApplication
from shared.contract.intents import (
    AskBind,
    AskHelp,
    AskProgress,
    AskQuestion,
    ComplainByText,
    Intent,
    OptOutSms,
    RateByText,
)
from shared.contract.records import Application, Citizen
from shared.contract.vocabulary import rating_label, status_label
from shared.errors import AlreadyRated, Forbidden, NotFound, NotRatable, ValidationFailed
from shared.services.answers import AnswerService
from shared.services.applications import ApplicationService
from shared.services.complaints import ComplaintService
from shared.services.identity import IdentityService
from shared.sessions import Principal
from shared.texts import Reply

log = logging.getLogger(__name__)


class Conversation:
    """Answers a citizen's text intents."""

    def __init__(self, identity: IdentityService, applications: ApplicationService, complaints: ComplaintService,
                 answers: AnswerService, bind_url: str, rating_window_days: int):
        self.identity, self.applications, self.complaints, self.answers = identity, applications, complaints, answers
        self.bind_url, self.window = bind_url, rating_window_days

    def answer(self, principal: Principal, intent: Intent) -> str:
        """The reply to one intent as chat text."""
        return self.reply_to(principal, intent).text

    def reply_to(self, principal: Principal, intent: Intent) -> Reply:
        """The reply to one intent (never raises a domain error: it becomes a reply)."""
        sms = principal.channel == "sms"
        if isinstance(intent, AskHelp):
            return Reply("help_sms" if sms else "help")
        if isinstance(intent, AskQuestion):  # answered from the catalogue, bound or not, in the question's language
            return self.answers.reply(intent.text, sms)
        if isinstance(intent, AskBind):
            return Reply("bind", values={"bind_url": f"{self.bind_url}?channel={principal.channel}"})
        if isinstance(intent, AskProgress) and intent.application_no and not sms:
            return self._progress_one(principal, intent.application_no)
        try:
            citizen = self.identity.citizen_of(principal)
        except Forbidden:
            return Reply("unbound_sms" if sms else "unbound")
        locale = citizen.preferences.locale
        if isinstance(intent, AskProgress):
            return self._progress(citizen, intent.application_no, locale, 1 if sms else 3)
        if isinstance(intent, RateByText):
            return self._rate(principal, citizen, intent, locale)
        if isinstance(intent, OptOutSms):
            return Reply("opted_out", locale) if self.identity.opt_out_sms(citizen) else Reply("", locale)
        if isinstance(intent, ComplainByText):
            filed = self.complaints.file(principal, citizen, FileComplaint(content=intent.content[:2000]))
            return Reply("complaint_filed", locale, {"complaint_no": filed.complaint_no})
        return Reply("help", locale)

    def _progress_one(self, principal: Principal, no: str) -> Reply:
        """One application's status in a single read of the account and the application."""
        if len(no) > 64:
            return Reply("no_application", values={"application_no": no[:32]})
        account, app = self.identity.account_with_application(principal, no)
        if account.citizen_id is None:
            return Reply("unbound")
        locale = account.locale or "zh-CN"
        if app is None or app.citizen_id != account.citizen_id:
            return Reply("no_application", locale, {"application_no": no[:32]})
        return _line(app, locale)

    def _progress(self, citizen: Citizen, no: str | None, locale: str, latest_count: int) -> Reply:
        if no is None:
            latest = self.applications.list_own(citizen, limit=latest_count)
            if not latest:
                return Reply("no_applications", locale)
            lines = [_progress_line(v.application_no, v.item.name, v.status_label, v.deadline, locale)
                     for v in latest]
            return Reply(lines[0].key, locale, lines[0].values, tuple(lines[1:]))
        try:
            app = self.applications.get_own(citizen, no)
        except NotFound:
            return Reply("no_application", locale, {"application_no": no[:32]})
        return _line(app, locale)

    def _rate(self, principal: Principal, citizen: Citizen, intent: RateByText, locale: str) -> Reply:
        if not 1 <= intent.level <= 5:
            return Reply("bad_level", locale)
        try:
            rated = self.applications.rate(citizen, intent.application_no,
                                           RateApplication(level=intent.level, comment=_clipped(intent.comment)),
                                           principal.channel)
        except NotFound:
            return Reply("no_application", locale, {"application_no": intent.application_no[:32]})
        except AlreadyRated:
            return Reply("already_rated", locale)
        except NotRatable:
            return Reply("not_ratable", locale, {"days": str(self.window)})
        except ValidationFailed:
            return Reply("bad_level", locale)
        return Reply("rated", locale, {"label": rating_label(rated.level, locale)})


def _line(app: Application, locale: str) -> Reply:
    return _progress_line(app.application_no, app.item_name, status_label(app.status, locale), app.deadline, locale)


def _progress_line(no: str, item_name: str, label: str, deadline: object, locale: str) -> Reply:
    """One application's progress (``due`` empty until a promised date is known)."""
    return Reply("progress", locale, {"application_no": no, "item_name": item_name, "status_label": label,
                                      "due": str(deadline or "")})


def _clipped(comment: str | None, limit: int = 500) -> str | None:
    """A rating comment as stored: a text longer than a note keeps its first ``limit`` characters."""
    return comment if comment is None or len(comment) <= limit else comment[: limit - 1] + "…"
