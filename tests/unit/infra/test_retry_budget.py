"""The retry budget against the queues of ``infra/deploy/resources.json``: a notice always ends (delivered or
failed) before SQS could dead-letter or expire its message, and a crashed try never races a live one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import app
from functions.names import stage
from shared.config import Settings
from shared.ports import MAX_QUEUE_DELAY as MAX_DELAY
from shared.services.delivery import DeliveryService, backoff

ROOT = Path(__file__).resolve().parents[3]
RESOURCES = json.loads((ROOT / "infra" / "deploy" / "resources.json").read_text())["Resources"]
QUEUE = RESOURCES["NoticeQueue"]["Properties"]
DLQ = RESOURCES["NoticeDeadLetterQueue"]["Properties"]
LAMBDA_TIMEOUT = int(json.loads((ROOT / ".chalice" / "config.json").read_text())["lambda_timeout"])
CHANNELS = 4  # wechat_mini, wechat_oa, alipay, sms
DEFAULTS = Settings()
LEASE = DeliveryService.__init__.__kwdefaults__["lease_seconds"]  # type: ignore[index]


def test_visibility_timeout_is_at_least_six_lambda_timeouts() -> None:
    """AWS: set the source queue's visibility timeout to at least six times the function timeout.
    https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html"""
    assert int(QUEUE["VisibilityTimeout"]) >= 6 * LAMBDA_TIMEOUT
    assert int(DLQ["VisibilityTimeout"]) >= 6 * LAMBDA_TIMEOUT


def test_a_lease_outlives_its_worker_and_ends_before_a_crashed_message_returns() -> None:
    assert LAMBDA_TIMEOUT <= LEASE < int(QUEUE["VisibilityTimeout"])


def test_every_retry_schedule_fits_within_a_notices_maximum_age() -> None:
    longest = CHANNELS * DEFAULTS.max_transient_attempts * DEFAULTS.retry_cap_seconds
    assert longest < DEFAULTS.notice_max_age_seconds


@pytest.mark.parametrize("attempt", range(1, 12))
def test_no_single_wait_exceeds_the_cap_or_sqs_delay_limit(attempt: int) -> None:
    assert MAX_DELAY == 900  # SQS DelaySeconds maximum
    assert all(1 <= backoff(attempt, DEFAULTS.retry_base_seconds, DEFAULTS.retry_cap_seconds)
               <= DEFAULTS.retry_cap_seconds for _ in range(20))


def test_a_notice_ends_before_its_message_could_expire_or_be_dead_lettered_by_retries() -> None:
    """Retries and waits travel as new messages (receive count 1 each), so only crashes count toward
    ``maxReceiveCount``; the worst case — maximum age, one more hop, every crash retry — fits the retention."""
    crashes = int(QUEUE["RedrivePolicy"]["maxReceiveCount"]) * int(QUEUE["VisibilityTimeout"])
    assert DEFAULTS.notice_max_age_seconds + MAX_DELAY + crashes < int(QUEUE["MessageRetentionPeriod"])
    assert int(DLQ["MessageRetentionPeriod"]) > int(QUEUE["MessageRetentionPeriod"])


def test_the_dead_letter_queue_has_a_consumer_that_marks_notices_failed() -> None:
    queues = {getattr(s, "queue", None): s.name for s in app.app.event_sources}
    dlq = DLQ["QueueName"]["Fn::Sub"].replace("${Stage}", stage())
    assert queues.get(dlq) == "notice_dead_letters"
