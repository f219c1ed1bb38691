"""SQS consumer: delivers queued notices, reporting partial batch failures."""

from __future__ import annotations

import json
import logging
from typing import Any

from chalice import Blueprint

from functions.bootstrap import services
from functions.names import queue_name

bp = Blueprint(__name__)
log = logging.getLogger(__name__)


@bp.on_sqs_message(queue=queue_name("notices"), batch_size=10, name="notice_worker")
def deliver_notices(event: Any) -> dict[str, list[dict[str, str]]]:
    """Deliver each notice; failed records go back to the queue (ReportBatchItemFailures)."""
    from shared.errors import Unavailable
    from shared.services.delivery import TransientDeliveryError

    failures = []
    for record in event:
        raw = record.to_dict()
        try:
            services().delivery.deliver(json.loads(raw["body"])["notice_id"])
        except TransientDeliveryError as exc:
            log.info("notice delivery deferred %s s: %s", exc.retry_after, exc)
            if exc.retry_after:
                services().defer_notice(raw.get("receiptHandle", ""), exc.retry_after)
            failures.append({"itemIdentifier": raw["messageId"]})
        except (Unavailable, KeyError, ValueError) as exc:
            log.warning("notice delivery deferred: %s", exc, extra={"message_id": raw.get("messageId")})
            failures.append({"itemIdentifier": raw["messageId"]})
    return {"batchItemFailures": failures}
