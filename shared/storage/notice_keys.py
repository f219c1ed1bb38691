"""How a notice is stored: its item, its ``gsi1`` keys (by application or address) and its sparse,
sharded ``gsi3`` keys while it is open or failed (see ``shared/storage/__init__.py``)."""

from __future__ import annotations

import zlib
from typing import Any

from shared.contract.records import Notice

SHARDS = 10  # open notices spread over ten index partitions (a burst of reminders stays under a partition's limit)


def shard(notice_id: str) -> int:
    """The index partition of a notice."""
    return zlib.crc32(notice_id.encode()) % SHARDS


def index_keys(notice_id: str, state: str, due: int) -> dict[str, str]:
    """``gsi3`` keys of an open (``NTCOPEN``) or failed (``NTCFAILED``) notice."""
    return {"gsi3pk": f"{state}#{shard(notice_id)}", "gsi3sk": f"{due:010d}#{notice_id}"}


def notice_item(notice: Notice, step: int = 0) -> dict[str, Any]:
    """The stored item; ``step`` (the timeline position that owed it) keeps one application's notices
    in order within a second."""
    item = {"pk": f"NTC#{notice.notice_id}", "sk": "NTC", **notice.model_dump(mode="json", exclude_none=True),
            **index_keys(notice.notice_id, "NTCOPEN", notice.next_at)}
    if notice.application_no:
        item["gsi1pk"] = f"NTCAPP#{notice.application_no}"
        item["gsi1sk"] = f"{notice.created_at.isoformat()}#{step:04d}#{notice.notice_id}"
    elif notice.to:
        item["gsi1pk"] = f"NTCTO#{notice.to.account}"
        item["gsi1sk"] = f"{notice.created_at.isoformat()}#{notice.notice_id}"
    return item


def expiry_index(notice: Notice) -> dict[str, str]:
    """A reminder's place in its licence's expiry partition (``gsi2`` ``EXP#<expires_on>``), with the
    ``reminder_of`` marker the next run reads there; other notices have none."""
    if notice.kind != "expiry_reminder":
        return {}
    d = notice.data
    return {"gsi2pk": f"EXP#{d['expires_on']}", "gsi2sk": f"{d['licence_id']}#R#{d['threshold']}",
            "reminder_of": reminder_marker(d["licence_id"], d["threshold"])}


def reminder_marker(licence_id: str, threshold: str | int) -> str:
    """How a stored reminder names its licence and threshold."""
    return f"{licence_id}|{threshold}"


def reminded(marker: str) -> tuple[str, int]:
    """``(licence_id, threshold)`` of a ``reminder_of`` marker."""
    licence_id, _, threshold = marker.rpartition("|")
    return licence_id, int(threshold)
