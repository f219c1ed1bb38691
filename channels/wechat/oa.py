"""The official account's server endpoint (``wechat_oa``): verify, decrypt, parse, answer.

Plain, compatible and safe mode; every request's ``signature`` is checked before anything is
parsed or stored; each message is answered once and retries get the same answer.
https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from typing import Any

from channels.wechat.crypto import MessageCrypto, check_signature
from channels.wechat.wire import WxMessage, encrypted_reply, parse_message, parse_xml, text_reply
from shared.clock import Clock, epoch_seconds
from shared.contract.domain_events import MessageAnswered
from shared.contract.intents import AskBind, AskHelp, AskProgress, Intent, dump_intent, load_intent, parse_command
from shared.errors import BadRequest, Unauthorized, Unavailable
from shared.services.conversation import Conversation
from shared.services.inbound import PENDING, InboundLog
from shared.services.notices import NoticeService
from shared.sessions import Principal
from shared.texts import reply

log = logging.getLogger(__name__)

MAX_SKEW = 300
MENU = {"PROGRESS": AskProgress(), "BIND": AskBind(), "HELP": AskHelp()}


def to_intent(msg: WxMessage) -> Intent | None:
    """The intent of a message; None for events that need no answer (VIEW, LOCATION…)."""
    if msg.kind == "text":
        return parse_command(msg.Content or "")
    if msg.kind == "event":
        event = (msg.Event or "").lower()
        if event == "click":
            return MENU.get(msg.EventKey or "", AskHelp())
        return AskHelp() if event == "subscribe" else None
    return AskHelp()  # images, voice, locations…: answered with help


class OfficialAccount:
    """Answers WeChat's pushes to the official account's server URL."""

    def __init__(self, token: str, appid: str, crypto: MessageCrypto | None, conversation: Conversation,
                 inbound: InboundLog, clock: Clock, defer: Callable[[dict[str, Any]], None] | None = None,
                 mode: str = "compatible"):
        self.token, self.appid, self.crypto = token, appid, crypto
        self.conversation, self.inbound, self.clock, self.defer = conversation, inbound, clock, defer
        self.mode = mode

    def _check(self, query: Mapping[str, str]) -> tuple[str, str]:
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        check_signature(query.get("signature"), self.token, timestamp, nonce)
        sent = epoch_seconds(timestamp)
        if sent is None or abs(int(self.clock.now().timestamp()) - sent) > MAX_SKEW:
            raise Unauthorized("stale WeChat timestamp")
        return timestamp, nonce

    def _plaintext_allowed(self, query: Mapping[str, str], body: bytes) -> None:
        """A plaintext message: refused in safe mode; elsewhere its signature (which does not cover the body)
        is bound to the first body it came with, so a replay with another body is refused, while WeChat's
        own retries (the same body) pass."""
        if self.mode == "safe":
            raise Unauthorized("this account is in safe mode: plaintext messages are refused")
        request = f"{query.get('signature', '')}:{query.get('timestamp', '')}:{query.get('nonce', '')}"
        if not self.inbound.first_body(request, hashlib.sha256(body).hexdigest()):
            raise Unauthorized("a WeChat signature already used with another message")

    def verify_url(self, query: Mapping[str, str]) -> str:
        """``GET``: echo ``echostr`` when the signature is WeChat's."""
        check_signature(query.get("signature"), self.token, query.get("timestamp", ""), query.get("nonce", ""))
        return query.get("echostr", "")

    def handle(self, query: Mapping[str, str], body: bytes) -> str:
        """``POST``: the passive reply (XML, encrypted in safe mode) or ``success``."""
        timestamp, nonce = self._check(query)
        safe = query.get("encrypt_type") == "aes"
        if not safe:
            self._plaintext_allowed(query, body)
        fields = parse_xml(body)
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
                try:
                    answer = self.conversation.answer(principal, intent)
                except Exception:
                    self.inbound.release(key)  # WeChat's retry gets a fresh try, not silence
                    raise
                self.inbound.settle(key, answer)
                return answer
            return self.inbound.keep_first(key, self.conversation.answer(principal, intent))
        except Unavailable:
            log.warning("dependency down while answering WeChat; answering later", exc_info=True)
            return self._later(principal, intent, key)

    def _later(self, principal: Principal, intent: Intent, key: str) -> str:
        """Queue the work; the chat worker answers through the customer-service API (48 h window)."""
        if self.defer is None:
            return reply("busy")
        try:
            self.defer({"channel": "wechat_oa", "openid": principal.account, "key": key,
                        "intent": dump_intent(intent), "received_at": int(self.clock.now().timestamp())})
        except Exception:
            log.error("chat queue unavailable", exc_info=True)
            return reply("busy")
        return reply("later")


class DeferredAnswers:
    """The chat worker's side: answer a queued message; the answer leaves through the outbox as a
    customer-service message (WeChat refuses it with 45015 once its 48 h window closed: failed, visibly).
    https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
    """

    def __init__(self, conversation: Conversation, inbound: InboundLog, notices: NoticeService):
        self.conversation, self.inbound, self.notices = conversation, inbound, notices

    def finish(self, job: dict[str, Any]) -> bool:
        """Answer and record the answer with its notice; False when the message was answered already."""
        if self.inbound.answered(job["key"]):
            return False  # the chat queue delivered this job again: answered once already
        principal = Principal(job["channel"], job["openid"])
        answer = self.conversation.reply_to(principal, load_intent(job["intent"]))
        notices = self.notices.owed_by([MessageAnswered(channel="wechat_oa", account=principal.account,
                                                        locale=answer.locale, key=answer.key, text=answer.text)])
        if not self.inbound.answer_once(job["key"], answer.text, notices, settling=True):
            return False
        self.notices.dispatch(notices)
        return True
