"""The one policy that turns events into notices: who hears what, on which address, once.

Services record what happened (``shared.contract.domain_events``); the notices those events owe are
decided here and nowhere else, and stored by the outbox in the same write as the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from shared.contract.domain_events import (
    ApplicationCompleted,
    ComplaintReplied,
    Event,
    ItemSupervised,
    LicenceExpiring,
    MessageAnswered,
    RatingInvited,
    SupplementRequired,
)
from shared.contract.records import Address, Notice
from shared.contract.vocabulary import NoticeKind
from shared.personal_data import normalize_phone
from shared.services.notices import new_notice

SMS_REPLIES = frozenset({"help_sms", "unbound_sms", "opted_out", "progress", "no_application", "no_applications",
                         "rated", "already_rated", "not_ratable", "bad_level", "complaint_filed", "busy",
                         "answer_sms", "not_understood_sms"})


class NoticePolicy:
    """Maps each event to the notices it owes; ``contacts`` are the departments' supervision phones."""

    def __init__(self, contacts: dict[str, str] | None = None):
        self.contacts = contacts or {}

    @property
    def contacts(self) -> dict[str, str]:
        """Supervision phones by department (``default`` for the rest), normalised to ``+86…``."""
        return self._contacts

    @contacts.setter
    def contacts(self, given: dict[str, str]) -> None:
        self._contacts = {dept: phone for dept, raw in given.items() if (phone := normalize_phone(raw))}

    def notices_for(self, events: Sequence[Event], at: datetime) -> list[Notice]:
        """Every notice the events owe, in order."""
        return [n for e in events for n in self._one(e, at)]

    def _one(self, e: Event, at: datetime) -> list[Notice]:
        if isinstance(e, ApplicationCompleted | SupplementRequired):
            kind = NoticeKind.COMPLETION if isinstance(e, ApplicationCompleted) else NoticeKind.SUPPLEMENT_REQUIRED
            return [new_notice(kind, e.citizen_id, at, application_no=e.application_no, data={
                "application_no": e.application_no, "item_name": e.item_name, "status": e.status, "note": e.note,
                "origin": e.origin})]
        if isinstance(e, ComplaintReplied):
            return [new_notice(NoticeKind.COMPLAINT_REPLY, e.citizen_id, at, complaint_no=e.complaint_no,
                               application_no=e.application_no, data={"complaint_no": e.complaint_no,
                                                                      "reply": e.reply})]
        if isinstance(e, RatingInvited):
            return [new_notice(NoticeKind.RATING_INVITE, e.citizen_id, at, application_no=e.application_no,
                               data={"application_no": e.application_no, "item_name": e.item_name})]
        if isinstance(e, LicenceExpiring):
            return [new_notice(NoticeKind.EXPIRY_REMINDER, e.citizen_id, at, notice_id=e.reminder_id, data={
                "licence_id": e.licence_id, "kind": e.kind, "expires_on": e.expires_on, "days_left": str(e.days_left),
                "threshold": str(e.threshold)})]
        if isinstance(e, ItemSupervised):
            contact = self.contacts.get(e.department) or self.contacts.get("default")
            what = "投诉" if e.what == "complaint" else "差评整改"
            return [new_notice("supervision", None, at, {"number": e.number, "due": e.due},
                               to=Address(channel="sms", account=contact),
                               text=f"督办:{what}{e.number}已逾期(应于{e.due}前办结),请尽快办理。")] if contact else []
        if isinstance(e, MessageAnswered) and e.key:
            if e.channel == "sms":
                kind = f"reply_{e.key}" if e.key in SMS_REPLIES else "reply_help_sms"
            else:
                kind = "chat_answer"
            return [new_notice(kind, None, at, dict(e.values), text=e.text,
                               to=Address(channel=e.channel, account=e.account, locale=e.locale))]
        return []
