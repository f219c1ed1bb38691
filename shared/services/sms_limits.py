"""Per-phone SMS frequency limits, checked before the provider is called (one item per phone,
a sliding log of send times updated with a version condition, so concurrent senders agree).

OTP: 1 per minute, 5 per hour, 10 per day; notices: 50 per rolling 24 h; the same text to the
same phone at most once per 30 s (Aliyun/Tencent limits, docs/channel-facts.md).
"""

from __future__ import annotations

import hashlib

from shared.clock import Clock
from shared.errors import RateLimited
from shared.ports import SmsSender
from shared.storage.ports import UnitOfWorkFactory

RULES = {"otp": [(60, 1), (3600, 5), (86400, 10)], "notice": [(86400, 50)]}
SAME_TEXT = 30


class SmsLimited(RateLimited):
    """A per-phone SMS limit was hit; ``retry_after`` says when a send would be allowed."""


class SmsLimiter:
    """Counts sends per phone in one versioned log each."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock):
        self.uow, self.clock = uow, clock

    def admit(self, phone: str, kind: str, text: str) -> int:
        """Record a send or raise SmsLimited; ``kind`` is ``otp`` or ``notice``. Returns the send's time."""
        logs = self.uow().send_logs
        for _ in range(5):
            now = int(self.clock.now().timestamp())
            item, version = logs.read(phone)
            sent = [t for t in item.get(kind, []) if now - int(t) < 86400]
            texts = {h: int(t) for h, t in (item.get("texts") or {}).items() if now - int(t) < SAME_TEXT}
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            if kind != "otp" and digest in texts:
                raise SmsLimited(texts[digest] + SAME_TEXT - now, "the same text was just sent to this phone")
            for window, limit in RULES[kind]:
                recent = sorted(t for t in sent if now - t < window)
                if len(recent) >= limit:
                    raise SmsLimited(recent[-limit] + window - now, f"SMS limit {limit} per {window} s reached")
            texts[digest] = now
            if logs.replace(phone, {**item, kind: [*sent, now], "texts": texts}, version, now + 2 * 86400):
                return now
            # another sender got there first: read again
        raise SmsLimited(1, "SMS limiter busy, try again")

    def release(self, phone: str, kind: str, text: str, at: int) -> None:
        """Forget a send the provider did not make (so a retry is not limited by it)."""
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        logs = self.uow().send_logs
        for _ in range(5):
            item, version = logs.read(phone)
            if not version:
                return
            sent = list(item.get(kind, []))
            if at in sent:
                sent.remove(at)
            texts = {h: t for h, t in (item.get("texts") or {}).items() if not (h == digest and int(t) == at)}
            keep = int(self.clock.now().timestamp()) + 2 * 86400  # never sooner than the latest send's
            if logs.replace(phone, {**item, kind: sent, "texts": texts}, version, keep):
                return


class LimitedSmsSender:
    """An ``SmsSender`` that admits every send through the limiter first."""

    def __init__(self, sender: SmsSender, limiter: SmsLimiter):
        self.sender, self.limiter = sender, limiter

    def send(self, phone: str, template: str, params: dict[str, str], text: str) -> str:
        """Admit, then send; a send the provider did not make is given back."""
        kind = "otp" if template == "otp" else "notice"
        at = self.limiter.admit(phone, kind, text)
        try:
            return self.sender.send(phone, template, params, text)
        except Exception:
            self.limiter.release(phone, kind, text, at)
            raise

