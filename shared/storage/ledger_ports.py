"""Ports of the counters and ledgers that write at once and never join a unit's commit (consent
credits, nonces, one-time codes, quota windows, SMS send logs) and of inbound answers."""

from __future__ import annotations

from typing import Any, Protocol


class ConsentCredits(Protocol):
    """One-time subscribe-message consents an account holds, per template (atomic counters that write at
    once and never join a unit's commit)."""

    def held(self, channel: str, account: str) -> dict[str, int]:
        """``{template_id: n}`` the account holds."""
        ...

    def add(self, channel: str, account: str, template_id: str, cap: int) -> None:
        """One more credit, up to ``cap``."""
        ...

    def take(self, channel: str, account: str, template_id: str) -> bool:
        """One credit less if any is left; False when none."""
        ...

    def give_back(self, channel: str, account: str, template_id: str) -> None:
        """Return a credit whose message was not sent."""
        ...

    def clear(self, channel: str, account: str, template_id: str) -> None:
        """Forget the template's credits."""
        ...


class NonceLedger(Protocol):
    """Nonces of signed backend requests (writes at once)."""

    def remember(self, nonce: str, now: int, ttl: int) -> bool:
        """Record a nonce; False when it was seen less than ``ttl`` seconds ago."""
        ...


class OtpCodes(Protocol):
    """The one live code per phone, kept as its keyed hash (writes at once)."""

    def issue(self, phone: str, code_hash: str, now: int, ttl: int, resend_after: int) -> int | None:
        """Store a fresh code unless one was sent less than ``resend_after`` s ago: then the seconds to wait."""
        ...

    def attempt(self, phone: str, now: int, max_tries: int) -> tuple[str, int] | None:
        """Count one try of a live code: ``(code_hash, tries)``, or None when absent, expired or tried out."""
        ...

    def consume(self, phone: str, tries: int) -> bool:
        """Remove the code if no other try came after ``tries`` (False otherwise)."""
        ...

    def forget(self, phone: str) -> None:
        """Remove the code (it was not sent)."""
        ...


class WindowCounters(Protocol):
    """Counts in fixed windows (``subject`` per ``window`` s), for quotas (writes at once); a subject is
    ``otp_account:<channel#account>`` or ``otp_all``."""

    def count(self, subject: str, window: int, limit: int, now: int) -> int:
        """One more in the current window: 0 when counted, else the seconds until the window ends."""
        ...

    def uncount(self, subject: str, window: int, now: int) -> None:
        """Give back one count of the window ``now`` falls in."""
        ...


class SendLogs(Protocol):
    """One versioned log per phone of SMS sends (the limiter's sliding windows)."""

    def read(self, phone: str) -> tuple[dict[str, Any], int]:
        """``(log, version)``; an unknown phone is ``({}, 0)``."""
        ...

    def replace(self, phone: str, log: dict[str, Any], version: int, expires_at: int) -> bool:
        """Write ``log`` as version ``version + 1`` if the stored one is still ``version`` (False otherwise)."""
        ...


class InboundRecords(Protocol):
    """The answer given to each inbound message (WeChat and SNS retry), and the bodies of signed
    requests. All write at once except ``answer``, which is staged with the notices that carry it."""

    def keep_first(self, key: str, answer: str, now: int, ttl: int) -> str:
        """Store ``answer`` unless the message was seen; the answer that stands."""
        ...

    def claim(self, key: str, placeholder: str, now: int, ttl: int) -> str | None:
        """Hold the message with ``placeholder``: None when held now, else what is stored."""
        ...

    def settle(self, key: str, answer: str, now: int, ttl: int) -> None:
        """Store the answer of a held message."""
        ...

    def release(self, key: str, placeholder: str) -> None:
        """Forget a hold still at ``placeholder`` (an answer stored meanwhile stays)."""
        ...

    def get(self, key: str) -> str | None:
        """What is stored for a message."""
        ...

    def answer(self, key: str, answer: str, now: int, ttl: int, over: str | None = None) -> None:
        """Stage the answer (conflict if one is stored, unless what is stored is ``over``)."""
        ...

    def first_body(self, request: str, digest: str, now: int, ttl: int) -> bool:
        """Remember a signed request's body digest; False when it came with another."""
        ...
