"""SQS consumer: delivers queued notices concurrently, reporting partial batch failures.

A transient failure returns the message to the queue after an exponential backoff with full
jitter (by ``ApproximateReceiveCount``), or after the delay the channel asked for (quiet hours,
SMS limits); the DLQ and its alarm catch what keeps failing.
"""

from __future__ import annotations

import json
import logging
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalice import Blueprint

from functions.bootstrap import services
from functions.names import queue_name

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


def backoff(receive_count: int, base: int, cap: int) -> int:
    """Full-jitter exponential backoff in seconds for the n-th receipt (at least 1)."""
    return max(1, int(random.uniform(0, min(cap, base * 2 ** max(0, receive_count - 1)))))  # noqa: S311


def _one(raw: dict[str, Any]) -> dict[str, str] | None:
    """Deliver one record; the batch-failure entry when it must come back later."""
    from shared.errors import Unavailable
    from shared.services.delivery import TransientDeliveryError

    s = services()
    try:
        s.delivery.deliver(json.loads(raw["body"])["notice_id"])
        return None
    except TransientDeliveryError as exc:
        count = int(raw.get("attributes", {}).get("ApproximateReceiveCount", "1"))
        delay = exc.retry_after or backoff(count, s.settings.retry_base_seconds, s.settings.retry_cap_seconds)
        log.info("notice delivery deferred %s s: %s", delay, exc)
        s.defer_notice(raw.get("receiptHandle", ""), delay)
    except (Unavailable, KeyError, ValueError) as exc:
        log.warning("notice delivery deferred: %s", exc, extra={"message_id": raw.get("messageId")})
    return {"itemIdentifier": raw["messageId"]}


@bp.on_sqs_message(queue=queue_name("notices"), batch_size=10, name="notice_worker")
def deliver_notices(event: Any) -> dict[str, list[dict[str, str]]]:
    """Deliver the batch's notices at the same time; failed records go back to the queue."""
    records = [record.to_dict() for record in event]
    with ThreadPoolExecutor(max_workers=max(1, min(10, len(records)))) as pool:
        results = list(pool.map(_one, records))
    return {"batchItemFailures": [r for r in results if r]}
