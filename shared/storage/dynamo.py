"""A thin typed wrapper over the DynamoDB client: plain dicts in and out, errors mapped.

Conditional failures become ``ConditionFailed`` / ``TransactionCancelled`` (for the services
to translate); throttling and unreachable endpoints become ``Unavailable`` (503).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from shared.errors import Unavailable

_SER = TypeSerializer()
_DES = TypeDeserializer()
_UNAVAILABLE = {"ProvisionedThroughputExceededException", "ThrottlingException",
                "RequestLimitExceeded", "InternalServerError", "ServiceUnavailable",
                "ResourceNotFoundException"}


class ConditionFailed(Exception):
    """A conditional write found the item in another state."""

    def __init__(self, item: dict[str, Any] | None = None):
        super().__init__("condition failed")
        self.item = item


class TransactionCancelled(Exception):
    """A transaction was cancelled; ``reasons[i]`` is the code for its i-th action."""

    def __init__(self, reasons: list[str]):
        super().__init__("transaction cancelled: " + ",".join(reasons))
        self.reasons = reasons


def serialize(item: Mapping[str, Any]) -> dict[str, Any]:
    """Python values → DynamoDB attribute values (None dropped, floats as Decimal)."""
    return {k: _SER.serialize(_prep(v)) for k, v in item.items() if v is not None}


def deserialize(item: Mapping[str, Any]) -> dict[str, Any]:
    """DynamoDB attribute values → Python values (integral Decimals as int)."""
    return {k: _post(_DES.deserialize(v)) for k, v in item.items()}


def _prep(v: Any) -> Any:
    if isinstance(v, float):
        return Decimal(str(v))
    if isinstance(v, dict):
        return {k: _prep(x) for k, x in v.items() if x is not None}
    if isinstance(v, list | tuple):
        return [_prep(x) for x in v]
    return v


def _post(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, dict):
        return {k: _post(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_post(x) for x in v]
    return v


def now_epoch() -> int:
    """Seconds since the epoch, for TTL attributes."""
    return int(time.time())


class Table:
    """One DynamoDB table seen through a low-level client."""

    def __init__(self, client: Any, name: str):
        self.client = client
        self.name = name

    def _call(self, op: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return getattr(self.client, op)(TableName=self.name, **kwargs) if op != "transact_write_items" \
                else self.client.transact_write_items(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code == "ConditionalCheckFailedException":
                old = exc.response.get("Item")
                raise ConditionFailed(deserialize(old) if old else None) from None
            if code == "TransactionCanceledException":
                reasons = [r.get("Code", "None") for r in exc.response.get("CancellationReasons", [])]
                raise TransactionCancelled(reasons) from None
            if code in _UNAVAILABLE:
                raise Unavailable() from exc
            raise
        except BotoCoreError as exc:
            raise Unavailable() from exc

    def get(self, pk: str, sk: str, consistent: bool = True) -> dict[str, Any] | None:
        """The item at (pk, sk), or None."""
        out = self._call("get_item", Key=serialize({"pk": pk, "sk": sk}), ConsistentRead=consistent)
        return deserialize(out["Item"]) if "Item" in out else None

    def batch_get(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """Up to 100 items in one request (strongly consistent), keyed by (pk, sk); missing ones absent."""
        request = {self.name: {"Keys": [serialize({"pk": pk, "sk": sk}) for pk, sk in keys], "ConsistentRead": True}}
        found: dict[tuple[str, str], dict[str, Any]] = {}
        while request:
            try:
                out = self.client.batch_get_item(RequestItems=request)
            except ClientError as exc:
                raise Unavailable() from exc
            except BotoCoreError as exc:
                raise Unavailable() from exc
            for raw in out.get("Responses", {}).get(self.name, []):
                item = deserialize(raw)
                found[(item["pk"], item["sk"])] = item
            request = out.get("UnprocessedKeys") or {}
        return found

    def batch_write(self, request: dict[str, Any]) -> dict[str, Any]:
        """One ``BatchWriteItem`` (≤ 25 serialized requests); returns what DynamoDB left unprocessed."""
        try:
            return self.client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
        except ClientError as exc:
            raise Unavailable() from exc
        except BotoCoreError as exc:
            raise Unavailable() from exc

    def put(self, item: Mapping[str, Any], condition: str | None = None,
            names: Mapping[str, str] | None = None, values: Mapping[str, Any] | None = None) -> None:
        """Write a whole item, optionally only when ``condition`` holds."""
        kwargs: dict[str, Any] = {"Item": serialize(item)}
        _add_condition(kwargs, condition, names, values)
        self._call("put_item", **kwargs)

    def update(self, pk: str, sk: str, expression: str, names: Mapping[str, str] | None = None,
               values: Mapping[str, Any] | None = None, condition: str | None = None) -> dict[str, Any]:
        """Apply an update expression; returns the item as it is afterwards."""
        kwargs: dict[str, Any] = {"Key": serialize({"pk": pk, "sk": sk}), "UpdateExpression": expression,
                                  "ReturnValues": "ALL_NEW"}
        _add_condition(kwargs, condition, names, values)
        return deserialize(self._call("update_item", **kwargs).get("Attributes", {}))

    def delete(self, pk: str, sk: str, condition: str | None = None,
               names: Mapping[str, str] | None = None, values: Mapping[str, Any] | None = None) -> None:
        """Remove an item."""
        kwargs: dict[str, Any] = {"Key": serialize({"pk": pk, "sk": sk})}
        _add_condition(kwargs, condition, names, values)
        self._call("delete_item", **kwargs)

    def query(self, key: str, values: Mapping[str, Any], index: str | None = None,
              names: Mapping[str, str] | None = None, forward: bool = True,
              limit: int | None = None, filter: str | None = None) -> Iterator[dict[str, Any]]:
        """Items matching a key condition (and ``filter``, applied to each page read), page after page."""
        kwargs: dict[str, Any] = {"KeyConditionExpression": key, "ScanIndexForward": forward,
                                  "ExpressionAttributeValues": serialize(values)}
        if filter:
            kwargs["FilterExpression"] = filter
        if index:
            kwargs["IndexName"] = index
        if names:
            kwargs["ExpressionAttributeNames"] = dict(names)
        seen = 0
        while True:
            page = self._call("query", **kwargs)
            for raw in page.get("Items", []):
                yield deserialize(raw)
                seen += 1
                if limit is not None and seen >= limit:
                    return
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def transact(self, actions: list[dict[str, Any]]) -> None:
        """All-or-nothing writes; each action is ``{"Put"|"Update"|"ConditionCheck"|"Delete": {...}}``
        with plain-Python ``Item``/``Key``/``ExpressionAttributeValues``."""
        items = []
        for action in actions:
            (kind, body), = action.items()
            body = dict(body, TableName=self.name)
            for field in ("Item", "Key", "ExpressionAttributeValues"):
                if field in body:
                    body[field] = serialize(body[field])
            items.append({kind: body})
        self._call("transact_write_items", TransactItems=items)


def _add_condition(kwargs: dict[str, Any], condition: str | None, names: Mapping[str, str] | None,
                   values: Mapping[str, Any] | None) -> None:
    if condition:
        kwargs["ConditionExpression"] = condition
        kwargs["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    if names:
        kwargs["ExpressionAttributeNames"] = dict(names)
    if values:
        kwargs["ExpressionAttributeValues"] = serialize(values)
