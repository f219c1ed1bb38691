"""DeliveryService, the outbox and expiry reminders on the in-memory store, with fake channels."""

from __future__ import annotations

from datetime import timedelta

from shared.clock import FixedClock
from shared.contract.records import Citizen
from shared.ports import DeliveryFailed
from shared.services.delivery import DeliveryService
from shared.services.notices import NoticeService, new_notice
from shared.services.reminders import ReminderService
from shared.storage.memory import MemoryStore
from tests.helpers import FakeQueue, store_bound


class _Channel:
    def __init__(self, channel: str, failures: int = 0, permanent: bool = False):
        self.channel, self.failures, self.permanent, self.sent = channel, failures, permanent, []

    def consent_template(self, kind: str) -> None:
        return None

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        if self.failures:
            self.failures -= 1
            raise DeliveryFailed("down", permanent=self.permanent)
        self.sent.append((kind, account))


def _setup(store: MemoryStore, citizen: Citizen, fixed_clock: FixedClock) -> None:
    store_bound(store, citizen, "wechat_mini", "o-1", fixed_clock)


def _run(delivery: DeliveryService, queue: FakeQueue, clock: FixedClock) -> list[str]:
    outcomes = []
    while queue.cursor < len(queue.sent):
        notice_id, delay, gen = queue.sent[queue.cursor]
        queue.cursor += 1
        clock.advance(seconds=delay)
        outcomes.append(delivery.deliver(notice_id, gen))
    return outcomes


def test_a_notice_retries_its_channel_then_falls_back_to_sms_once(
        store: MemoryStore, citizen: Citizen, fixed_clock: FixedClock,
        outbox: tuple[NoticeService, FakeQueue]) -> None:
    _setup(store, citizen, fixed_clock)
    mini, sms = _Channel("wechat_mini", failures=99), _Channel("sms")
    delivery = DeliveryService(store.unit_of_work, {"wechat_mini": mini, "sms": sms}, fixed_clock, outbox[0],
                               max_transient=3, retry_base=1, retry_cap=4)
    outbox[0].write([new_notice("completion", citizen.citizen_id, fixed_clock.now(), {"item_name": "村务证明"})])
    outcomes = _run(delivery, outbox[1], fixed_clock)
    assert outcomes[-1] == "delivered" and outcomes.count("delivered") == 1
    assert sms.sent == [("completion", citizen.phone)]
    (stored,) = store.records["notices"].values()
    assert [a.channel for a in stored.attempts] == ["wechat_mini"] * 3 + ["sms"]


def test_a_notice_nobody_can_receive_ends_failed_and_an_operator_retry_delivers_it(
        store: MemoryStore, citizen: Citizen, fixed_clock: FixedClock,
        outbox: tuple[NoticeService, FakeQueue]) -> None:
    _setup(store, citizen, fixed_clock)
    sms = _Channel("sms", failures=1, permanent=True)
    delivery = DeliveryService(store.unit_of_work, {"sms": sms}, fixed_clock, outbox[0])
    notice = new_notice("completion", citizen.citizen_id, fixed_clock.now(), {"item_name": "村务证明"})
    outbox[0].write([notice])
    assert _run(delivery, outbox[1], fixed_clock) == ["failed"]
    assert [v.notice_id for v in outbox[0].find(status="failed")] == [notice.notice_id]
    outbox[0].retry(notice.notice_id)
    assert _run(delivery, outbox[1], fixed_clock) == ["delivered"]
    assert outbox[0].find(status="failed") == []


def test_a_lost_queue_message_is_swept_and_a_dead_letter_fails_only_its_gen(
        store: MemoryStore, citizen: Citizen, fixed_clock: FixedClock,
        outbox: tuple[NoticeService, FakeQueue]) -> None:
    notice = new_notice("completion", citizen.citizen_id, fixed_clock.now(), {})
    store.unit_of_work().notices.put_many([notice])  # stored, never queued
    now = int(fixed_clock.now().timestamp())
    assert outbox[0].sweep(now + 301) == 1 and outbox[1].ids == [notice.notice_id]
    delivery = DeliveryService(store.unit_of_work, {}, fixed_clock, outbox[0])
    assert delivery.dead_lettered(notice.notice_id, 7) is False
    assert delivery.dead_lettered(notice.notice_id, 0) is True
    assert delivery.dead_lettered(notice.notice_id, 0) is False


def test_an_expiry_reminder_is_written_once_per_threshold(
        store: MemoryStore, citizen: Citizen, fixed_clock: FixedClock,
        outbox: tuple[NoticeService, FakeQueue]) -> None:
    from datetime import date

    from shared.contract.records import Licence

    unit = store.unit_of_work()
    unit.licences.put(Licence(licence_id="L-1", id_hash=citizen.id_hash, kind="driving_licence", number_masked="x",
                              number_hash="y", expires_on=date(2026, 10, 5), updated_at=fixed_clock.now()),
                      citizen.citizen_id)
    unit.commit()
    reminders = ReminderService(store.unit_of_work, outbox[0])
    assert reminders.run(fixed_clock.now()) == {"queued": 1}  # 7 days left: the 7-day reminder
    assert reminders.run(fixed_clock.now()) == {"queued": 0}
    assert reminders.run(fixed_clock.now() + timedelta(days=6)) == {"queued": 1}  # then the 1-day one
