"""Delivering a stored notice: the citizen's channels in preference order until one succeeds.

A notice ends ``delivered`` or ``failed`` with every attempt recorded. A transient failure
is raised so the queue redelivers later; a permanent one moves on to the next channel.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from shared import metrics
from shared.clock import Clock
from shared.contract.records import Citizen, DeliveryAttempt, Notice
from shared.ports import ChannelNotifier, DeliveryFailed
from shared.storage.dynamo import ConditionFailed, Table

log = logging.getLogger(__name__)


class TransientDeliveryError(Exception):
    """Delivery should be retried later (the message goes back to the queue, after ``retry_after`` s)."""

    def __init__(self, detail: str, retry_after: int = 0):
        super().__init__(detail)
        self.retry_after = retry_after


class DeliveryService:
    """Walks a notice through the citizen's channels."""

    def __init__(self, table: Table, notifiers: dict[str, ChannelNotifier], clock: Clock, *,
                 max_transient: int = 5, lease_seconds: int = 60):
        self.table, self.notifiers, self.clock = table, notifiers, clock
        self.max_transient, self.lease_seconds = max_transient, lease_seconds

    def deliver(self, notice_id: str) -> str:
        """Deliver one notice; returns its final status (``delivered``/``failed``)."""
        item = self.table.get(f"NTC#{notice_id}", "NTC")
        if item is None:
            log.warning("unknown notice", extra={"notice_id": notice_id})
            return "failed"
        notice = Notice.model_validate(item)
        if notice.status != "pending":
            return notice.status
        citizen = Citizen.model_validate(self.table.get(f"CIT#{notice.citizen_id}", "CIT"))
        transient = [a.channel for a in notice.attempts if a.outcome == "failed_transient"]
        exhausted = {a.channel for a in notice.attempts if a.outcome == "failed_permanent"} | \
            {ch for ch in transient if transient.count(ch) >= self.max_transient}
        for channel, account in self._routes(citizen, notice.data.get("origin")):
            if channel in exhausted:
                continue
            notifier = self.notifiers.get(channel)
            if notifier is None:
                continue
            self._lease(notice, channel)
            try:
                notifier.deliver(notice.kind, notice.data, account, citizen.preferences.locale)
            except DeliveryFailed as exc:
                outcome = "failed_permanent" if exc.permanent else \
                    ("deferred" if exc.retry_after else "failed_transient")
                self._attempt(notice, channel, outcome, exc.detail)
                if not exc.permanent:
                    raise TransientDeliveryError(exc.detail, exc.retry_after) from None
                continue
            return self._finish(notice, channel, "delivered")
        return self._finish(notice, None, "failed")

    def _routes(self, citizen: Citizen, origin: str | None = None) -> list[tuple[str, str]]:
        """The channels to try in order: the citizen's choice, else the one they applied on first,
        then the other bound ones, SMS last (skipped when opted out)."""
        accounts: dict[str, str] = {"sms": citizen.phone}
        for b in self.table.query("pk = :pk AND begins_with(sk, :b)",
                                  {":pk": f"CIT#{citizen.citizen_id}", ":b": "BIND#"}):
            accounts.setdefault(b["channel"], b["account"])
        order = citizen.preferences.channels or list(accounts)
        if not citizen.channels_chosen and origin in accounts and origin != "sms":
            order = [origin, *(c for c in order if c != origin)]
        if "sms" not in order:
            order = [*order, "sms"]  # the phone on record is the channel of last resort
        return [(ch, accounts[ch]) for ch in order
                if ch in accounts and not (ch == "sms" and citizen.preferences.sms_opt_out)]

    def _lease(self, notice: Notice, channel: str) -> None:
        """Claim the (notice, channel) send: a redelivered message never sends twice at once."""
        now = int(self.clock.now().timestamp())
        try:
            self.table.update(f"NTC#{notice.notice_id}", "NTC", "SET lease.#ch = :until",
                              names={"#ch": channel, "#st": "status"},
                              values={":until": now + self.lease_seconds, ":now": now, ":p": "pending"},
                              condition="#st = :p AND (attribute_not_exists(lease.#ch) OR lease.#ch < :now)")
        except ConditionFailed:
            raise TransientDeliveryError("another worker is sending this notice", self.lease_seconds) from None

    def _attempt(self, notice: Notice, channel: str, outcome: str, detail: str | None) -> None:
        attempt = DeliveryAttempt(channel=channel, at=self.clock.now(), outcome=outcome, detail=detail)
        self.table.update(f"NTC#{notice.notice_id}", "NTC", "SET attempts = list_append(attempts, :a) "
                          "REMOVE lease.#ch", names={"#ch": channel},  # the send is over: free the lease
                          values={":a": [attempt.model_dump(mode="json", exclude_none=True)]})
        notice.attempts.append(attempt)
        metrics.count("NoticeAttemptsFailed", channel=channel, kind=notice.kind)

    def _finish(self, notice: Notice, channel: str | None, status: str) -> str:
        values: dict[str, Any] = {":s": status, ":p": "pending", ":a": []}
        if channel:
            attempt = DeliveryAttempt(channel=channel, at=self.clock.now(), outcome="delivered")
            values[":a"] = [attempt.model_dump(mode="json", exclude_none=True)]
        with contextlib.suppress(ConditionFailed):  # a concurrent delivery finished it first
            self.table.update(f"NTC#{notice.notice_id}", "NTC",
                              "SET #s = :s, attempts = list_append(attempts, :a)", names={"#s": "status"},
                              values=values, condition="#s = :p")
        log.info("notice %s", status, extra={"notice_id": notice.notice_id, "kind": notice.kind, "channel": channel})
        metrics.count("NoticesDelivered" if status == "delivered" else "NoticesFailed", channel=channel or "none",
                      kind=notice.kind)
        return status
