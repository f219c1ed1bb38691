"""SQS consumer: chat messages that could not be answered at once, answered through WeChat's
customer-service API (reporting partial batch failures)."""

from __future__ import annotations

import json
import logging
from typing import Any

from chalice import Blueprint

from functions.bootstrap import services
from functions.names import queue_name

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


@bp.on_sqs_message(queue=queue_name("chat"), batch_size=10, name="chat_worker")
def answer_later(event: Any) -> dict[str, list[dict[str, str]]]:
    """Answer each queued chat message; failed records go back to the queue."""
    failures = []
    for record in event:
        raw = record.to_dict()
        try:
            services().deferred_answers.finish(json.loads(raw["body"]))
        except Exception as exc:  # any failure: retried through the queue, then the DLQ (alarmed)
            log.warning("chat answer deferred again: %s", type(exc).__name__,
                        extra={"message_id": raw.get("messageId")})
            failures.append({"itemIdentifier": raw["messageId"]})
    return {"batchItemFailures": failures}
