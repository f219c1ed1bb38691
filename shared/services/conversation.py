"""Text conversations (OA chat, two-way SMS): one intent in, one reply text out.

Channels parse their own syntax into intents; the answers are the same on every channel.
"""

from __future__ import annotations

import logging

from shared.contract.commands import FileComplaint, RateApplication
from shared.contract.intents import AskBind, AskHelp, AskProgress, ComplainByText, Intent, OptOutSms, RateByText
from shared.contract.records import Application, Citizen
from shared.contract.vocabulary import rating_label, status_label
from shared.errors import AlreadyRated, Forbidden, NotFound, NotRatable, ValidationFailed
from shared.services.applications import ApplicationService
from shared.services.complaints import ComplaintService
from shared.services.identity import IdentityService
from shared.texts import reply
from shared.tokens import Principal

log = logging.getLogger(__name__)


class Conversation:
    """Answers a citizen's text intents."""

    def __init__(self, identity: IdentityService, applications: ApplicationService, complaints: ComplaintService,
                 bind_url: str, rating_window_days: int):
        self.identity, self.applications, self.complaints = identity, applications, complaints
        self.bind_url, self.window = bind_url, rating_window_days

    def answer(self, principal: Principal, intent: Intent) -> str:
        """The reply to one intent (never raises a domain error: it becomes a text)."""
        sms = principal.channel == "sms"
        if isinstance(intent, AskHelp):
            return reply("help_sms" if sms else "help")
        if isinstance(intent, AskBind):
            return reply("bind", bind_url=f"{self.bind_url}?channel={principal.channel}")
        if isinstance(intent, AskProgress) and intent.application_no and principal.channel != "sms":
            return self._progress_one(principal, intent.application_no)
        try:
            citizen = self.identity.citizen_of(principal)
        except Forbidden:
            return reply("unbound_sms" if sms else "unbound")
        locale = citizen.preferences.locale
        if isinstance(intent, AskProgress):
            return self._progress(citizen, intent.application_no, locale)
        if isinstance(intent, RateByText):
            return self._rate(principal, citizen, intent, locale)
        if isinstance(intent, OptOutSms):
            return reply("opted_out", locale) if self.identity.opt_out_sms(citizen) else ""
        if isinstance(intent, ComplainByText):
            filed = self.complaints.file(principal, citizen, FileComplaint(content=intent.content[:2000]))
            return reply("complaint_filed", locale, complaint_no=filed["complaint_no"])
        return reply("help", locale)

    def _progress_one(self, principal: Principal, no: str) -> str:
        """One application's status in a single read of the account and the application."""
        if len(no) > 64:
            return reply("no_application", application_no=no[:32])
        account, item = self.identity.account_with(principal, f"APP#{no}", "APP")
        if account.citizen_id is None:
            return reply("unbound")
        locale = account.locale or "zh-CN"
        if item is None or item.get("citizen_id") != account.citizen_id:
            return reply("no_application", locale, application_no=no[:32])
        return _line(Application.model_validate(item), locale)

    def _progress(self, citizen: Citizen, no: str | None, locale: str) -> str:
        if no is None:
            latest = self.applications.list_own(citizen, limit=3)
            if not latest:
                return reply("no_applications", locale)
            return "\n".join(reply("progress", locale, application_no=v.application_no, item_name=v.item.name,
                                   status_label=v.status_label,
                                   deadline=reply("deadline", locale, deadline=v.deadline) if v.deadline else "")
                             for v in latest)
        try:
            app = self.applications.get_own(citizen, no)
        except NotFound:
            return reply("no_application", locale, application_no=no[:32])
        return _line(app, locale)

    def _rate(self, principal: Principal, citizen: Citizen, intent: RateByText, locale: str) -> str:
        if not 1 <= intent.level <= 5:
            return reply("bad_level", locale)
        try:
            rated = self.applications.rate(citizen, intent.application_no,
                                           RateApplication(level=intent.level, comment=intent.comment),
                                           principal.channel)
        except NotFound:
            return reply("no_application", locale, application_no=intent.application_no[:32])
        except AlreadyRated:
            return reply("already_rated", locale)
        except NotRatable:
            return reply("not_ratable", locale, days=self.window)
        except ValidationFailed:
            return reply("bad_level", locale)
        return reply("rated", locale, label=rating_label(rated.level, locale))


def _line(app: Application, locale: str) -> str:
    return reply("progress", locale, application_no=app.application_no, item_name=app.item_name,
                 status_label=status_label(app.status, locale),
                 deadline=reply("deadline", locale, deadline=app.deadline) if app.deadline else "")
