"""SQS consumers of the notice queue and of its dead-letter queue.

A try that must wait queues its own next message with a delay and succeeds, so only a crash
hands a message back to SQS (it reappears when the visibility timeout runs out); whatever still
reaches the dead-letter queue is marked ``failed``, counted and alarmed, and operators retry it.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalice import Blueprint

from functions.bootstrap import services
from functions.names import queue_name

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


def _ticket(raw: dict[str, Any]) -> tuple[str, int]:
    """(notice id, gen) of a queue message (ValueError/KeyError/TypeError when malformed)."""
    body = json.loads(raw["body"])
    return str(body["notice_id"]), int(body.get("gen", 0))


def _one(raw: dict[str, Any]) -> dict[str, str] | None:
    """Take one try; the batch-failure entry when the worker itself failed (the message comes back)."""
    try:
        services().delivery.deliver(*_ticket(raw))
        return None
    except Exception as exc:
        log.warning("notice try failed, SQS redelivers it: %s", type(exc).__name__,
                    extra={"message_id": raw.get("messageId")}, exc_info=True)
        return {"itemIdentifier": raw["messageId"]}


@bp.on_sqs_message(queue=queue_name("notices"), batch_size=10, name="notice_worker")
def deliver_notices(event: Any) -> dict[str, list[dict[str, str]]]:
    """Try the batch's notices at the same time."""
    records = [record.to_dict() for record in event]
    with ThreadPoolExecutor(max_workers=max(1, min(10, len(records)))) as pool:
        results = list(pool.map(_one, records))
    return {"batchItemFailures": [r for r in results if r]}


@bp.on_sqs_message(queue=queue_name("notices-dlq"), batch_size=10, name="notice_dead_letters")
def mark_dead_letters(event: Any) -> dict[str, list[dict[str, str]]]:
    """Mark the notices of dead-lettered messages failed (retryable by an operator)."""
    from shared import metrics

    failures = []
    for record in event:
        raw = record.to_dict()
        try:
            notice_id, gen = _ticket(raw)
        except (ValueError, KeyError, TypeError):
            metrics.count("NoticesDeadLettered", kind="malformed")
            log.error("a malformed message reached the notice dead-letter queue", extra={"body": raw["body"][:200]})
            continue
        try:
            services().delivery.dead_lettered(notice_id, gen)
        except Exception:
            log.exception("could not mark a dead-lettered notice; it stays in the dead-letter queue")
            failures.append({"itemIdentifier": raw["messageId"]})
    return {"batchItemFailures": failures}
