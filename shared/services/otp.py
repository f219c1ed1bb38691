"""One-time codes by SMS: 6 digits, 5 minutes, 5 tries, 60 s between requests per phone; and, against
SMS pumping (one account asking codes for many numbers, a burst from everywhere), at most 5 codes an
hour and 10 a day per channel account and a deployment-wide ceiling per minute.
https://cheatsheetseries.owasp.org/cheatsheets/Multifactor_Authentication_Cheat_Sheet.html (SMS pumping)
"""

from __future__ import annotations

import hmac
import logging
import secrets

from shared.clock import Clock
from shared.errors import OtpInvalid, RateLimited, Unavailable, ValidationFailed
from shared.personal_data import keyed_hash, mask_phone
from shared.ports import RecipientRefused, SmsSender
from shared.sessions import Principal
from shared.storage.dynamo import ConditionFailed, Table
from shared.texts import SIGNATURE

log = logging.getLogger(__name__)

OTP_TTL = 300
OTP_MAX_TRIES = 5
OTP_RESEND_AFTER = 60
OTP_TEMPLATE = "otp"
PER_ACCOUNT = ((3600, 5), (86400, 10))  # (window in seconds, codes) per channel account


class OtpService:
    """Issues and checks one-time codes, keeping only their keyed hash."""

    def __init__(self, table: Table, sms: SmsSender, pepper: str, clock: Clock, global_per_minute: int = 300):
        self.table, self.sms, self.pepper, self.clock = table, sms, pepper, clock
        self.global_per_minute = global_per_minute

    def _hash(self, phone: str, code: str) -> str:
        return keyed_hash(self.pepper, f"otp:{phone}:{code}")

    def request(self, phone: str, asker: Principal | None = None) -> int:
        """Send a fresh code to ``phone`` for ``asker``; returns its lifetime in seconds (429 past a limit)."""
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
        counted: list[tuple[str, str]] = []  # only a code that is really sent stays counted
        try:
            for window, limit in PER_ACCOUNT if asker is not None else ():
                counted.append(self._count(f"OTPACC#{asker.key}", window, limit, now,  # type: ignore[union-attr]
                                           "codes requested by this account"))
            counted.append(self._count("OTPALL", 60, self.global_per_minute, now, "codes requested across the service"))
        except RateLimited:
            self._give_back(phone, counted)
            raise
        text = f"{SIGNATURE}您的验证码为{code},5分钟内有效。如非本人操作请忽略。"
        try:
            self.sms.send(phone, OTP_TEMPLATE, {"code": code}, text)
        except RateLimited:
            self._give_back(phone, counted)
            raise
        except RecipientRefused:  # counted still: trying numbers that cannot receive is how pumping looks
            self.table.delete(f"OTP#{phone}", "OTP")
            raise ValidationFailed.field("phone", "the SMS provider says this number cannot receive messages") \
                from None
        except Exception:
            log.warning("otp send failed", extra={"phone": mask_phone(phone)}, exc_info=True)
            self._give_back(phone, counted)
            raise Unavailable("the SMS provider is unavailable, try again") from None
        log.info("otp sent", extra={"phone": mask_phone(phone)})
        return OTP_TTL

    def _count(self, subject: str, window: int, limit: int, now: int, what: str) -> tuple[str, str]:
        """One more in ``subject``'s current fixed window (its key), or RateLimited until the window ends."""
        start = now - now % window
        key = (f"{subject}#{window}", str(start))
        try:
            self.table.update(*key, "ADD n :one SET #t = :ttl", names={"#t": "ttl"},
                              values={":one": 1, ":max": limit, ":ttl": start + window + 3600},
                              condition="attribute_not_exists(n) OR n < :max")
        except ConditionFailed:
            raise RateLimited(start + window - now, f"too many {what}; try again later") from None
        return key

    def _give_back(self, phone: str, counted: list[tuple[str, str]]) -> None:
        """No code went out: forget it and the counts it took."""
        self.table.delete(f"OTP#{phone}", "OTP")
        for key in counted:
            self.table.update(*key, "ADD n :less", values={":less": -1})

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
