"""Delivering a notice: one state machine that always ends.

::

    pending ── sent ─────────────────────────────────────────────▶ delivered
       │ permanent failure      → the next channel at once
       │ transient failure      → the same channel after a backoff, ``max_transient`` times, then the next
       │ deferral (quiet hours, SMS limits) → wait; not an attempt, not a failure
       └ every channel spent, too old, or dead-lettered ─────────▶ failed (the reason in its last attempt)

Each try runs on a queue message stamped with the notice's ``gen``. A try that must wait bumps
``gen`` and queues a new message with a delay (15 min at most, hops for longer waits) instead of
handing the message back to SQS, so the receive count only grows when a worker crashes, and the
dead-letter queue can never be reached before the retry budget is spent (tests check the
arithmetic against ``infra/deploy/resources.json``). Consent credits (one-time subscriptions) are
consumed, refunded and cleared here, for every channel that needs them.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

from shared import metrics
from shared.clock import Clock
from shared.contract.records import DeliveryAttempt, Notice
from shared.ports import MAX_QUEUE_DELAY, ChannelNotifier, DeliveryFailed
from shared.services.notices import NoticeService
from shared.services.subscriptions import SubscriptionService
from shared.sessions import Principal
from shared.storage.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)
BY_MINQING = "minqing"  # the channel of the closing attempt Minqing itself records


def backoff(attempt: int, base: int, cap: int) -> int:
    """Exponential backoff with equal jitter before the next try after the n-th failure: at least half the
    step, so a channel's attempts always span ``base × (2^(n-1) - 1) / 2`` s or more (an outage of a minute
    cannot spend a whole budget). https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/"""
    step = min(cap, base * 2 ** max(0, attempt - 1))
    return max(1, int(step / 2 + random.uniform(0, step / 2)))  # noqa: S311


@dataclass(frozen=True)
class Sent:
    """What one send on one channel came to."""

    outcome: str  # delivered, failed_transient, failed_permanent, deferred
    detail: str | None = None
    retry_after: int = 0


class DeliveryService:
    """Takes one try at a notice per queue message."""

    def __init__(self, uow: UnitOfWorkFactory, notifiers: dict[str, ChannelNotifier], clock: Clock,
                 outbox: NoticeService, subscriptions: SubscriptionService | None = None, *, max_transient: int = 5,
                 retry_base: int = 30, retry_cap: int = 900, lease_seconds: int = 60, max_age: int = 3 * 86400):
        self.uow, self.notifiers, self.clock, self.outbox = uow, notifiers, clock, outbox
        self.subscriptions = subscriptions
        self.max_transient, self.retry_base, self.retry_cap = max_transient, retry_base, retry_cap
        self.lease_seconds, self.max_age = lease_seconds, max_age

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    def deliver(self, notice_id: str, gen: int = 0) -> str:
        """One try; returns the status afterwards (``pending`` while it waits, ``skipped`` for a stale,
        finished or busy notice)."""
        notice = self._claim(notice_id, gen)
        if notice is None:
            return "skipped"
        now = self._now()
        if notice.next_at > now:  # a long wait goes on in hops of at most 15 minutes
            return self._wait(notice, notice.next_at - now, notice.waiting, [], hop=True)
        if now - (notice.aged_from or notice.created_at.timestamp()) > self.max_age:
            return self._end(notice, None, [], f"expired: not delivered within {self.max_age // 3600} h")
        fresh: list[DeliveryAttempt] = []
        counted = notice.attempts[notice.budget_from:]
        for channel, account, locale in self._routes(notice):
            notifier = self.notifiers.get(channel)
            if notifier is None or self._spent(channel, counted + fresh):
                continue
            sent = self._send(notifier, notice, account, locale)
            if sent.outcome == "delivered":
                return self._end(notice, channel, fresh)
            if sent.outcome == "deferred":
                return self._wait(notice, sent.retry_after, f"{channel}: {sent.detail}", fresh)
            fresh.append(DeliveryAttempt(channel=channel, at=self.clock.now(), outcome=sent.outcome,
                                         detail=sent.detail))
            metrics.count("NoticeAttemptsFailed", channel=channel, kind=notice.kind)
            if sent.outcome == "failed_transient" and not self._spent(channel, counted + fresh):
                tries = sum(1 for a in counted + fresh if a.channel == channel)
                return self._wait(notice, backoff(tries, self.retry_base, self.retry_cap), None, fresh)
        tried = sorted({a.channel for a in counted + fresh})
        return self._end(notice, None, fresh, "every channel was tried: " + ", ".join(tried) if tried
                         else "no channel to reach this person")

    def _spent(self, channel: str, attempts: list[DeliveryAttempt]) -> bool:
        mine = [a.outcome for a in attempts if a.channel == channel]
        return "failed_permanent" in mine or mine.count("failed_transient") >= self.max_transient

    def _claim(self, notice_id: str, gen: int) -> Notice | None:
        """Lease the notice for this try; None when it is finished, newer than this message, or busy."""
        notice, why = self.uow().notices.claim(notice_id, gen, self._now(), self.lease_seconds)
        if notice is None:
            log.info("notice message skipped: %s", why, extra={"notice_id": notice_id, "gen": gen})
        return notice

    def _routes(self, notice: Notice) -> list[tuple[str, str, str]]:
        """(channel, account, locale) to try in order: a fixed address, or the citizen's choice, else the
        channel they applied on first, then their other bound ones, SMS last (skipped when opted out)."""
        if notice.to:
            return [(notice.to.channel, notice.to.account, notice.to.locale)]
        if notice.citizen_id is None:
            return []
        citizen, bound = self.uow().citizens.with_bindings(notice.citizen_id)
        if citizen is None:
            return []
        accounts: dict[str, str] = {"sms": citizen.phone}
        for b in bound:
            accounts.setdefault(b.channel, b.account)
        order = citizen.preferences.channels or list(accounts)
        origin = notice.data.get("origin")
        if not citizen.channels_chosen and origin in accounts and origin != "sms":
            order = [origin, *(c for c in order if c != origin)]
        if "sms" not in order:
            order = [*order, "sms"]  # the phone on record is the channel of last resort
        return [(ch, accounts[ch], citizen.preferences.locale) for ch in order
                if ch in accounts and not (ch == "sms" and citizen.preferences.sms_opt_out)]

    def _send(self, notifier: ChannelNotifier, notice: Notice, account: str, locale: str) -> Sent:
        """One send, with its consent credit; any error is an outcome, never an exception."""
        template = notifier.consent_template(notice.kind)
        who = Principal(notifier.channel, account)
        if template and self.subscriptions and not self.subscriptions.consume(who, template):
            return Sent("failed_permanent", "no consent credit")
        data = notice.data if notice.text is None else {**notice.data, "text": notice.text}
        try:
            notifier.deliver(notice.kind, data, account, locale)
        except DeliveryFailed as exc:
            self._give_back(who, template, cleared=exc.consent_gone)
            if exc.permanent:
                return Sent("failed_permanent", exc.detail)
            return Sent("deferred" if exc.retry_after else "failed_transient", exc.detail, exc.retry_after)
        except Exception as exc:  # a transport error of any kind is a transient attempt, recorded
            self._give_back(who, template, cleared=False)
            log.warning("%s send raised %s", notifier.channel, type(exc).__name__, exc_info=True)
            return Sent("failed_transient", f"{type(exc).__name__}: {str(exc)[:160]}")
        return Sent("delivered")

    def _give_back(self, who: Principal, template: str | None, *, cleared: bool) -> None:
        if not (template and self.subscriptions):
            return
        try:
            (self.subscriptions.clear if cleared else self.subscriptions.refund)(who, template)
        except Exception:  # the try's outcome must still be recorded; one credit may be lost, logged
            log.error("consent credit not given back", extra={"channel": who.channel, "template": template},
                      exc_info=True)

    def _wait(self, notice: Notice, delay: int, waiting: str | None, fresh: list[DeliveryAttempt],
              hop: bool = False) -> str:
        """Record this try and queue the next one ``delay`` s from now (a new message, a new ``gen``);
        ``hop`` is one more leg of a wait already counted."""
        delay, gen = max(1, int(delay)), notice.gen + 1
        if waiting and not hop:
            metrics.count("NoticesDeferred", kind=notice.kind)
            log.info("notice waits %s s: %s", delay, waiting, extra={"notice_id": notice.notice_id})
        self.uow().notices.wait(notice, fresh, self._now() + delay, waiting)
        self.outbox.dispatch_one(notice.notice_id, gen, min(delay, MAX_QUEUE_DELAY))
        return "pending"

    def _end(self, notice: Notice, channel: str | None, fresh: list[DeliveryAttempt], reason: str = "") -> str:
        """Delivered on ``channel``, or failed with ``reason``."""
        notices = self.uow().notices
        if channel:
            notices.delivered(notice, [*fresh, DeliveryAttempt(channel=channel, at=self.clock.now(),
                                                               outcome="delivered")])
        else:
            notices.failed(notice, [*fresh, DeliveryAttempt(channel=BY_MINQING, at=self.clock.now(), outcome="failed",
                                                            detail=reason)], self._now())
        status = "delivered" if channel else "failed"
        log.info("notice %s", status, extra={"notice_id": notice.notice_id, "kind": notice.kind, "channel": channel,
                                             "reason": reason or None})
        metrics.count("NoticesDelivered" if channel else "NoticesFailed", channel=channel or "none", kind=notice.kind)
        return status

    def dead_lettered(self, notice_id: str, gen: int) -> bool:
        """A message for this notice reached the dead-letter queue: mark it failed (retryable), once;
        a message the notice has moved past (an older ``gen``) changes nothing."""
        closing = DeliveryAttempt(channel=BY_MINQING, at=self.clock.now(), outcome="failed",
                                  detail="dead-lettered: the worker kept failing on its message")
        notice = self.uow().notices.dead_letter(notice_id, gen, self._now(), closing)
        if notice is None:
            return False  # finished, moved on, or being tried right now: nothing to mark
        metrics.count("NoticesDeadLettered", kind=notice.kind)
        metrics.count("NoticesFailed", channel="none", kind=notice.kind)
        log.error("notice dead-lettered and marked failed", extra={"notice_id": notice_id})
        return True
