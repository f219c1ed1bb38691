"""One-time codes by SMS: 6 digits, 5 minutes, 5 tries, 60 s between requests per phone."""

from __future__ import annotations

import hmac
import logging
import secrets

from shared.clock import Clock
from shared.errors import OtpInvalid, RateLimited, Unavailable
from shared.identity import keyed_hash, mask_phone
from shared.ports import SmsSender
from shared.storage.dynamo import ConditionFailed, Table
from shared.texts import SIGNATURE

log = logging.getLogger(__name__)

OTP_TTL = 300
OTP_MAX_TRIES = 5
OTP_RESEND_AFTER = 60
OTP_TEMPLATE = "otp"


class OtpService:
    """Issues and checks one-time codes, keeping only their keyed hash."""

    def __init__(self, table: Table, sms: SmsSender, pepper: str, clock: Clock):
        self.table, self.sms, self.pepper, self.clock = table, sms, pepper, clock

    def _hash(self, phone: str, code: str) -> str:
        return keyed_hash(self.pepper, f"otp:{phone}:{code}")

    def request(self, phone: str) -> int:
        """Send a fresh code to ``phone``; returns its lifetime in seconds."""
        now = int(self.clock.now().timestamp())
        code = f"{secrets.randbelow(10**6):06d}"
        item = {"pk": f"OTP#{phone}", "sk": "OTP", "code_hash": self._hash(phone, code), "tries": 0,
                "sent_at": now, "expires_at": now + OTP_TTL, "ttl": now + OTP_TTL + 3600}
        try:
            self.table.put(item, "attribute_not_exists(pk) OR sent_at <= :cutoff",
                           values={":cutoff": now - OTP_RESEND_AFTER})
        except ConditionFailed as exc:
            sent = int((exc.item or {}).get("sent_at", now))
            raise RateLimited(sent + OTP_RESEND_AFTER - now, "a code was sent less than 60 s ago") from None
        text = f"{SIGNATURE}您的验证码为{code},5分钟内有效。如非本人操作请忽略。"
        try:
            self.sms.send(phone, OTP_TEMPLATE, {"code": code}, text)
        except RateLimited:
            self.table.delete(f"OTP#{phone}", "OTP")
            raise
        except Exception:
            log.warning("otp send failed", extra={"phone": mask_phone(phone)}, exc_info=True)
            self.table.delete(f"OTP#{phone}", "OTP")
            raise Unavailable("the SMS provider is unavailable, try again") from None
        log.info("otp sent", extra={"phone": mask_phone(phone)})
        return OTP_TTL

    def verify(self, phone: str, code: str) -> None:
        """Consume the code if it is right; OtpInvalid when wrong, expired, used or tried 5 times."""
        now = int(self.clock.now().timestamp())
        try:
            item = self.table.update(
                f"OTP#{phone}", "OTP", "SET tries = tries + :one",
                values={":one": 1, ":max": OTP_MAX_TRIES, ":now": now},
                condition="attribute_exists(pk) AND tries < :max AND expires_at > :now")
        except ConditionFailed:
            raise OtpInvalid() from None
        if not hmac.compare_digest(item["code_hash"], self._hash(phone, code)):
            log.info("otp mismatch", extra={"phone": mask_phone(phone), "tries": item["tries"]})
            raise OtpInvalid()
        try:
            self.table.delete(f"OTP#{phone}", "OTP", "tries = :tries", values={":tries": item["tries"]})
        except ConditionFailed:
            raise OtpInvalid() from None
