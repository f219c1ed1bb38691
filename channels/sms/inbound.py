"""Two-way SMS: a citizen's text arriving on the inbound SNS topic, answered by SMS.

The words are the same as on every channel (``shared.contract.intents.parse_command``: ``CX``,
``PJ``, ``TD``…). SNS may deliver a message twice: a command with an effect (rating, complaint,
opt-out) is claimed before it acts, and the reply is recorded in the outbox together with the
message's answer, once, and leaves like every other notice — a provider error or an SMS limit
delays it, never loses it.
https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms.html
"""

from __future__ import annotations

import logging
from typing import Any

from shared.contract.domain_events import MessageAnswered
from shared.contract.intents import parse_command
from shared.json_input import JsonRefused, loads
from shared.personal_data import mask_phone, normalize_phone
from shared.services.conversation import Conversation
from shared.services.inbound import InboundLog
from shared.services.notices import NoticeService
from shared.sessions import Principal

log = logging.getLogger(__name__)


class InboundSms:
    """Answers the texts citizens send to the county's number."""

    def __init__(self, conversation: Conversation, inbound: InboundLog, notices: NoticeService):
        self.conversation, self.inbound, self.notices = conversation, inbound, notices

    def handle(self, message_id: str, message: str) -> str | None:
        """Answer one SNS message (AWS two-way SMS JSON); returns the reply recorded, if any."""
        try:
            data: Any = loads(message)
        except JsonRefused:
            data = None
        if not isinstance(data, dict):
            log.warning("inbound SMS is not a JSON object", extra={"message_id": message_id})
            return None
        phone = normalize_phone(str(data.get("originationNumber", "")))
        if phone is None:
            log.warning("inbound SMS from a number that is not a mainland mobile", extra={"message_id": message_id})
            return None
        key = f"sms:{data.get('inboundMessageId') or message_id}"
        intent = parse_command(str(data.get("messageBody", "")))
        if intent.effectful and self.inbound.claim(key) is not None:
            return None  # a redelivery of a rating, complaint or opt-out: its effect and reply happened once
        try:
            answer = self.conversation.reply_to(Principal("sms", phone), intent)
        except Exception:
            if intent.effectful:
                self.inbound.release(key)  # SNS's retry gets a fresh try, not silence
            raise
        notices = self.notices.owed_by([MessageAnswered(channel="sms", account=phone, locale=answer.locale,
                                                        key=answer.key, text=answer.text, values=answer.values)])
        if not self.inbound.answer_once(key, answer.text, notices, settling=intent.effectful):
            log.info("inbound SMS seen before; its reply is already recorded", extra={"phone": mask_phone(phone)})
            return None
        self.notices.dispatch(notices)
        log.info("inbound SMS answered", extra={"phone": mask_phone(phone), "intent": type(intent).__name__})
        return answer.text or None
