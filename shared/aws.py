"""The AWS adapters beside storage: lazily created clients, the notice and chat queues on SQS,
and the inbound-SMS topic on SNS (storage is ``shared/storage/dynamo.py``)."""

from __future__ import annotations

import json
import threading
from typing import Any

from shared.ports import MAX_QUEUE_DELAY  # SQS DelaySeconds maximum (SendMessage API reference)

SQS_BATCH = 10  # entries per SendMessageBatch


class LazyClient:
    """A boto3 client created at its first call: a cold start pays only for the services it uses."""

    def __init__(self, session: Any, service: str):
        self._session, self._service, self._client = session, service, None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._session.client(self._service)
        return getattr(self._client, name)


class SqsNoticeQueue:
    """The delivery queue (``MINQING_NOTICE_QUEUE_URL``), ten per batch call; a delay of up to
    15 minutes (SQS's ``DelaySeconds`` maximum) holds a message back."""

    def __init__(self, client: Any, url: str):
        self.client, self.url = client, url

    def enqueue(self, notice_ids: list[str], *, delay: int = 0, gen: int = 0) -> None:
        """Send one message per notice."""
        for start in range(0, len(notice_ids), SQS_BATCH):
            batch = notice_ids[start:start + SQS_BATCH]
            out = self.client.send_message_batch(QueueUrl=self.url, Entries=[
                {"Id": str(i), "MessageBody": json.dumps({"notice_id": nid, "gen": gen}),
                 "DelaySeconds": max(0, min(int(delay), MAX_QUEUE_DELAY))} for i, nid in enumerate(batch)])
            if out.get("Failed"):
                raise RuntimeError(f"{len(out['Failed'])} notice messages were not queued")


class SqsJsonQueue:
    """A JSON message queue (the chat queue): one message per call."""

    def __init__(self, client: Any, url: str):
        self.client, self.url = client, url

    def send(self, body: dict[str, Any]) -> None:
        """Queue ``body`` (raises when SQS refuses)."""
        self.client.send_message(QueueUrl=self.url, MessageBody=json.dumps(body, ensure_ascii=False))


class SnsTopic:
    """Publishes text messages to one topic (uplink SMS to their one consumer)."""

    def __init__(self, client: Any, arn: str, setting: str):
        self.client, self.arn, self.setting = client, arn, setting

    def publish(self, message: str) -> None:
        """Publish ``message``; a missing topic setting is a deployment error, said by name."""
        if not self.arn:
            raise RuntimeError(f"{self.setting} is not set")
        self.client.publish(TopicArn=self.arn, Message=message)
