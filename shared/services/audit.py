"""What the audit log (安全审计) says of a change: the fields that changed, before → after, masked as every page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from shared.contract.staff import Acting, AuditEntry
from shared.personal_data import mask_personal

SKIPPED = frozenset({"timeline", "form", "citizen_id", "account", "content", "id_hash", "number_hash"})


def _flat(record: BaseModel | None) -> dict[str, str]:
    if record is None:
        return {}
    data: dict[str, Any] = record.model_dump(mode="json")
    return {k: mask_personal(v if isinstance(v, str) else ", ".join(map(str, v)) if isinstance(v, list) else str(v))
            for k, v in data.items() if k not in SKIPPED and v is not None and not isinstance(v, dict)}


def audit_entry(actor: str, source: str, action: str, target: str, before: BaseModel | None,
                after: BaseModel | None, at: datetime) -> AuditEntry:
    """An entry naming only what changed between ``before`` and ``after`` (None: created / removed)."""
    old, new = _flat(before), _flat(after)
    keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
    return AuditEntry(at=at, actor=actor, action=action, target=target[:128], source=source[:64],
                      before={k: old[k][:200] for k in keys if k in old},
                      after={k: new[k][:200] for k in keys if k in new})


def stage_audit(uow: Any, by: Acting | None, action: str, target: str, before: BaseModel | None,
                after: BaseModel | None, at: datetime) -> None:
    """Stage the entry of a change made ``by`` someone (None: Minqing itself, not audited) in ``uow``'s commit."""
    if by is not None:
        uow.audit.stage(audit_entry(by.actor, by.source, action, target, before, after, at))
