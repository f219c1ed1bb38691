"""Two-way SMS: a citizen's text arriving on the inbound SNS topic, answered by SMS.

Commands (api.md): ``CX <no>`` / ``查询 <no>``, ``PJ <no> <1-5>`` / ``评价 <no> <1-5>``,
``TD`` / ``T`` / ``退订`` (opt out, confirmed once), anything else → help. SNS may deliver a
message twice: the answer is kept per message id and sent once.
https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms.html
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from channels.sms.templates import VARIABLES
from shared.contract.intents import AskHelp, AskProgress, Intent, OptOutSms, RateByText
from shared.identity import mask_phone, normalize_phone
from shared.ports import SmsSender
from shared.services.conversation import Conversation
from shared.services.inbound import InboundLog
from shared.tokens import Principal

log = logging.getLogger(__name__)

_PROGRESS = re.compile(r"^(?:CX|查询)\s*(\S+)?$", re.I)
_RATE = re.compile(r"^(?:PJ|评价)\s*(\S+)?\s*(\d+)?\s*(.*)$", re.I | re.S)
_OPT_OUT = re.compile(r"^(?:TD|T|退订)$", re.I)


def parse_text(body: str) -> Intent:
    """The intent of an SMS body."""
    text = re.sub(r"[\s\u3000]+", " ", body).strip()
    if _OPT_OUT.match(text):
        return OptOutSms()
    if m := _PROGRESS.match(text):
        return AskProgress(m.group(1).upper() if m.group(1) else None)
    if m := _RATE.match(text):
        return RateByText((m.group(1) or "").upper(), int(m.group(2) or 0), m.group(3).strip() or None)
    return AskHelp()


class InboundSms:
    """Answers the texts citizens send to the county's number."""

    def __init__(self, conversation: Conversation, inbound: InboundLog, sms: SmsSender):
        self.conversation, self.inbound, self.sms = conversation, inbound, sms

    def handle(self, message_id: str, message: str) -> str | None:
        """Answer one SNS message (AWS two-way SMS JSON); returns the reply sent, if any."""
        try:
            data: dict[str, Any] = json.loads(message)
        except ValueError:
            log.warning("inbound SMS is not JSON", extra={"message_id": message_id})
            return None
        phone = normalize_phone(str(data.get("originationNumber", "")))
        if phone is None:
            log.warning("inbound SMS from a number that is not a mainland mobile", extra={"message_id": message_id})
            return None
        key = f"sms:{data.get('inboundMessageId') or message_id}"
        if self.inbound.claim(key) is not None:
            return None  # a redelivery: answered (or being answered) already
        intent = parse_text(str(data.get("messageBody", "")))
        answer = self.conversation.reply_to(Principal("sms", phone), intent)
        if answer.key:
            kind = f"reply_{answer.key}" if f"reply_{answer.key}" in VARIABLES else "reply_help_sms"
            self.sms.send(phone, kind, answer.values, answer.text)
        self.inbound.settle(key, answer.text)
        log.info("inbound SMS answered", extra={"phone": mask_phone(phone), "intent": type(intent).__name__})
        return answer.text or None
