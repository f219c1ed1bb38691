"""Service unit tests: the in-memory storage fake, a fake queue and a fixed clock — no moto."""

from __future__ import annotations

from datetime import datetime

import pytest

from shared.approval.builtin import BuiltinApprovalBackend
from shared.clock import CST, FixedClock
from shared.contract.records import Citizen, Preferences
from shared.services.applications import ApplicationService
from shared.services.complaints import ComplaintService
from shared.services.notice_policy import NoticePolicy
from shared.services.notices import NoticeService
from shared.services.rectifications import RectificationService
from shared.sessions import Principal
from shared.storage.memory import MemoryStore
from tests.helpers import FakeQueue


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def fixed_clock() -> FixedClock:
    return FixedClock(datetime(2026, 9, 28, 10, 0, tzinfo=CST))


@pytest.fixture
def outbox(store: MemoryStore, fixed_clock: FixedClock) -> tuple[NoticeService, FakeQueue]:
    queue = FakeQueue()
    policy = NoticePolicy({"default": "+8613700000001"})  # the county's supervision contact
    return NoticeService(store.unit_of_work, queue, fixed_clock, policy), queue


@pytest.fixture
def applications(store: MemoryStore, outbox: tuple[NoticeService, FakeQueue],
                 fixed_clock: FixedClock) -> ApplicationService:
    return ApplicationService(store.unit_of_work, BuiltinApprovalBackend(), outbox[0], fixed_clock,
                              rating_window_days=30, rectify_working_days=15)


@pytest.fixture
def complaints(store: MemoryStore, outbox: tuple[NoticeService, FakeQueue],
               fixed_clock: FixedClock) -> ComplaintService:
    return ComplaintService(store.unit_of_work, outbox[0], fixed_clock, 7)


@pytest.fixture
def rectifications(store: MemoryStore, fixed_clock: FixedClock) -> RectificationService:
    return RectificationService(store.unit_of_work, fixed_clock)


@pytest.fixture
def citizen(fixed_clock: FixedClock) -> Citizen:
    return Citizen(citizen_id="c-1", id_hash="h", id_masked="110***********002X", name="张*", phone="+8613800138000",
                   preferences=Preferences(channels=["wechat_mini", "sms"]), created_at=fixed_clock.now())


@pytest.fixture
def principal() -> Principal:
    return Principal("wechat_mini", "o-1")

