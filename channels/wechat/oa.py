"""The official account's server endpoint (``wechat_oa``): verify, decrypt, parse, answer.

Plain, compatible and safe mode; every request's ``signature`` is checked before anything is
parsed or stored; each message is answered once and retries get the same answer.
https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from channels.wechat.crypto import MessageCrypto, check_signature
from channels.wechat.wire import WxMessage, encrypted_reply, parse_message, parse_xml, text_reply
from shared.clock import Clock
from shared.contract.intents import AskBind, AskHelp, AskProgress, ComplainByText, Intent, RateByText
from shared.errors import BadRequest, Unauthorized, Unavailable
from shared.services.conversation import Conversation
from shared.services.inbound import PENDING, InboundLog
from shared.texts import reply
from shared.tokens import Principal

log = logging.getLogger(__name__)

MAX_SKEW = 300
MENU = {"PROGRESS": AskProgress(), "BIND": AskBind(), "HELP": AskHelp()}
_PROGRESS = re.compile(r"^(?:进度|查询)\s*(\S+)?$")
_RATE = re.compile(r"^评价\s*(\S+)?\s*(\d+)?\s*(.*)$", re.S)
_COMPLAIN = re.compile(r"^投诉\s*(.+)$", re.S)


def to_intent(msg: WxMessage) -> Intent | None:
    """The intent of a message; None for events that need no answer (VIEW, LOCATION…)."""
    if msg.kind == "text":
        return parse_text(msg.Content or "")
    if msg.kind == "event":
        event = (msg.Event or "").lower()
        if event == "click":
            return MENU.get(msg.EventKey or "", AskHelp())
        return AskHelp() if event == "subscribe" else None
    return AskHelp()  # images, voice, locations…: answered with help


def parse_text(content: str) -> Intent:
    """进度/查询 [no], 评价 <no> <1-5> [comment], 投诉 <text>, 绑定, anything else → help."""
    text = re.sub(r"[\s\u3000]+", " ", content).strip()
    if m := _PROGRESS.match(text):
        return AskProgress(m.group(1))
    if m := _RATE.match(text):
        return RateByText(m.group(1) or "", int(m.group(2) or 0), m.group(3).strip() or None)
    if m := _COMPLAIN.match(text):
        return ComplainByText(m.group(1).strip())
    if text == "绑定":
        return AskBind()
    return AskHelp()


class OfficialAccount:
    """Answers WeChat's pushes to the official account's server URL."""

    def __init__(self, token: str, appid: str, crypto: MessageCrypto | None, conversation: Conversation,
                 inbound: InboundLog, clock: Clock):
        self.token, self.appid, self.crypto = token, appid, crypto
        self.conversation, self.inbound, self.clock = conversation, inbound, clock

    def _check(self, query: Mapping[str, str]) -> tuple[str, str]:
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        check_signature(query.get("signature"), self.token, timestamp, nonce)
        if not timestamp.isdigit() or abs(int(self.clock.now().timestamp()) - int(timestamp)) > MAX_SKEW:
            raise Unauthorized("stale WeChat timestamp")
        return timestamp, nonce

    def verify_url(self, query: Mapping[str, str]) -> str:
        """``GET``: echo ``echostr`` when the signature is WeChat's."""
        check_signature(query.get("signature"), self.token, query.get("timestamp", ""), query.get("nonce", ""))
        return query.get("echostr", "")

    def handle(self, query: Mapping[str, str], body: bytes) -> str:
        """``POST``: the passive reply (XML, encrypted in safe mode) or ``success``."""
        timestamp, nonce = self._check(query)
        fields = parse_xml(body)
        safe = query.get("encrypt_type") == "aes"
        if safe:
            if self.crypto is None or "Encrypt" not in fields:
                raise BadRequest("safe mode needs an Encrypt element and a configured EncodingAESKey")
            fields = parse_xml(self.crypto.decrypt(fields["Encrypt"], query.get("msg_signature"), timestamp,
                                                   nonce).encode("utf-8"))
        msg = parse_message(fields)
        if msg.ToUserName and self.appid and msg.ToUserName != self.appid and safe:
            log.info("message for another account id", extra={"to": msg.ToUserName})
        intent = to_intent(msg)
        if intent is None:
            return "success"
        answer = self._answer(Principal("wechat_oa", msg.FromUserName), intent, msg.dedupe_key)
        if answer is None:
            return "success"
        xml = text_reply(msg.FromUserName, msg.ToUserName, answer, int(self.clock.now().timestamp()))
        if safe and self.crypto is not None:
            encrypted, signature = self.crypto.encrypt(xml, timestamp, nonce)
            return encrypted_reply(encrypted, signature, timestamp, nonce)
        return xml

    def _answer(self, principal: Principal, intent: Intent, key: str) -> str | None:
        try:
            if intent.effectful:
                prior = self.inbound.claim(key)
                if prior is not None:
                    return None if prior == PENDING else prior
                answer = self.conversation.answer(principal, intent)
                self.inbound.settle(key, answer)
                return answer
            return self.inbound.keep_first(key, self.conversation.answer(principal, intent))
        except Unavailable:
            log.warning("dependency down while answering WeChat", exc_info=True)
            return reply("busy")
