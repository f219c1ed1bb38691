"""Backend keys: ``BKEY#<id>``/``BKEY``, listed newest first through gsi1 ``BKEY``/``<created_at>#<id>``."""

from __future__ import annotations

from typing import Any

from shared.contract.keys import BackendKey
from shared.storage.dynamo import Table
from shared.storage.dynamo_records import Staged

_GUARDED = ("revoked_at", "replaced_by")  # what a change must find as it was read


class DynamoBackendKeys:
    """Puts staged in the unit's transaction, each conditioned on the key as read."""

    def __init__(self, table: Table, staged: Staged):
        self.table, self.staged = table, staged

    def get(self, key_id: str) -> BackendKey | None:
        """A consistent read."""
        item = self.table.get(f"BKEY#{key_id}", "BKEY")
        return BackendKey.model_validate(item) if item else None

    def add(self, key: BackendKey) -> None:
        """``attribute_not_exists(pk)``."""
        self.staged.add("backend_keys.add", key.key_id, {"Put": {"Item": self._item(key),
                                                                  "ConditionExpression": "attribute_not_exists(pk)"}})

    def replace(self, before: BackendKey, after: BackendKey) -> None:
        """A put conditioned on ``revoked_at`` and ``replaced_by`` as they were in ``before``."""
        conditions, values = ["attribute_exists(pk)"], {}
        for name in _GUARDED:
            value = getattr(before, name)
            if value is None:
                conditions.append(f"attribute_not_exists({name})")
            else:
                conditions.append(f"{name} = :{name}")
                values[f":{name}"] = value.isoformat() if hasattr(value, "isoformat") else value
        put: dict[str, Any] = {"Item": self._item(after), "ConditionExpression": " AND ".join(conditions)}
        if values:
            put["ExpressionAttributeValues"] = values
        self.staged.add("backend_keys.replace", after.key_id, {"Put": put})

    def listed(self, limit: int, before: str | None = None) -> tuple[list[BackendKey], str | None]:
        """A page of gsi1 ``BKEY`` older than the cursor."""
        items = list(self.table.query("gsi1pk = :p AND gsi1sk < :before", {":p": "BKEY", ":before": before or "~"},
                                      index="gsi1", forward=False, limit=limit))
        keys = [BackendKey.model_validate(i) for i in items]
        return keys, items[-1]["gsi1sk"] if len(items) == limit else None

    @staticmethod
    def _item(key: BackendKey) -> dict[str, Any]:
        return {"pk": f"BKEY#{key.key_id}", "sk": "BKEY", "gsi1pk": "BKEY",
                "gsi1sk": f"{key.created_at.isoformat()}#{key.key_id}",
                **key.model_dump(mode="json", exclude_none=True)}
