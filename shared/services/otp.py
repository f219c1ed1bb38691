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
from shared.storage.ports import UnitOfWorkFactory
from shared.texts import SIGNATURE

log = logging.getLogger(__name__)

OTP_TTL = 300
OTP_MAX_TRIES = 5
OTP_RESEND_AFTER = 60
OTP_TEMPLATE = "otp"
PER_ACCOUNT = ((3600, 5), (86400, 10))  # (window in seconds, codes) per channel account
PER_SOURCE = ((3600, 30), (86400, 100))  # per client address where no account asks (the H5 sign-in): loose, as
# a carrier's NAT puts many phones behind one address, yet one script cannot pump the county's SMS budget


class OtpService:
    """Issues and checks one-time codes, keeping only their keyed hash."""

    def __init__(self, uow: UnitOfWorkFactory, sms: SmsSender, pepper: str, clock: Clock,
                 global_per_minute: int = 300):
        self.uow, self.sms, self.pepper, self.clock = uow, sms, pepper, clock
        self.global_per_minute = global_per_minute

    def _hash(self, phone: str, code: str) -> str:
        return keyed_hash(self.pepper, f"otp:{phone}:{code}")

    def request(self, phone: str, asker: Principal | None = None, source: str | None = None) -> int:
        """Send a fresh code to ``phone`` for ``asker`` (or, signing in without an account, the client address
        ``source``); returns its lifetime in seconds (429 past a limit)."""
        now = int(self.clock.now().timestamp())
        code = f"{secrets.randbelow(10**6):06d}"
        wait = self.uow().otp_codes.issue(phone, self._hash(phone, code), now, OTP_TTL, OTP_RESEND_AFTER)
        if wait is not None:
            raise RateLimited(wait, "a code was sent less than 60 s ago")
        counted: list[tuple[str, int]] = []  # only a code that is really sent stays counted
        try:
            for window, limit in PER_ACCOUNT if asker is not None else ():
                counted.append(self._count(f"otp_account:{asker.key}", window, limit, now,  # type: ignore[union-attr]
                                           "codes requested by this account"))
            for window, limit in PER_SOURCE if source else ():
                counted.append(self._count(f"otp_source:{source[:64]}", window, limit, now,
                                           "codes requested from this address"))
            counted.append(self._count("otp_all", 60, self.global_per_minute, now,
                                       "codes requested across the service"))
        except RateLimited:
            self._give_back(phone, counted, now)
            raise
        text = f"{SIGNATURE}您的验证码为{code},5分钟内有效。如非本人操作请忽略。"
        try:
            self.sms.send(phone, OTP_TEMPLATE, {"code": code}, text)
        except RateLimited:
            self._give_back(phone, counted, now)
            raise
        except RecipientRefused:  # counted still: trying numbers that cannot receive is how pumping looks
            self.uow().otp_codes.forget(phone)
            raise ValidationFailed.field("phone", "the SMS provider says this number cannot receive messages") \
                from None
        except Exception:
            log.warning("otp send failed", extra={"phone": mask_phone(phone)}, exc_info=True)
            self._give_back(phone, counted, now)
            raise Unavailable("the SMS provider is unavailable, try again") from None
        log.info("otp sent", extra={"phone": mask_phone(phone)})
        return OTP_TTL

    def _count(self, subject: str, window: int, limit: int, now: int, what: str) -> tuple[str, int]:
        """One more in ``subject``'s current fixed window, or RateLimited until the window ends."""
        wait = self.uow().counters.count(subject, window, limit, now)
        if wait:
            raise RateLimited(wait, f"too many {what}; try again later")
        return subject, window

    def _give_back(self, phone: str, counted: list[tuple[str, int]], now: int) -> None:
        """No code went out: forget it and the counts it took."""
        uow = self.uow()
        uow.otp_codes.forget(phone)
        for subject, window in counted:
            uow.counters.uncount(subject, window, now)

    def verify(self, phone: str, code: str) -> None:
        """Consume the code if it is right; OtpInvalid when wrong, expired, used or tried 5 times."""
        now = int(self.clock.now().timestamp())
        codes = self.uow().otp_codes
        tried = codes.attempt(phone, now, OTP_MAX_TRIES)
        if tried is None:
            raise OtpInvalid()
        code_hash, tries = tried
        if not hmac.compare_digest(code_hash, self._hash(phone, code)):
            log.info("otp mismatch", extra={"phone": mask_phone(phone), "tries": tries})
            raise OtpInvalid()
        if not codes.consume(phone, tries):
            raise OtpInvalid()
