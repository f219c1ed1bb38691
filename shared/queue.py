"""A JSON message queue on SQS (the chat queue; the notice queue has its own batching adapter)."""

from __future__ import annotations

import json
from typing import Any


class SqsJsonQueue:
    """Sends one JSON message per call."""

    def __init__(self, client: Any, url: str):
        self.client, self.url = client, url

    def send(self, body: dict[str, Any]) -> None:
        """Queue ``body`` (raises when SQS refuses)."""
        self.client.send_message(QueueUrl=self.url, MessageBody=json.dumps(body, ensure_ascii=False))
