"""Scoped backend keys (密钥授权): each department's or tier's system signs with its own key (``X-Minqing-Key-Id``).

A key holds scopes (what routes it may call) and, optionally, a department and a tier (what records it may act
on). Reach-checked scopes act on applications, complaints and cases; the county-wide ones (licences, notices,
reports) are only for keys bound to no department or tier. Without ``X-Minqing-Key-Id`` a request is signed
with ``MINQING_BACKEND_HMAC_KEY``: the default key, every scope, the whole county (docs/contract.md).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from shared.contract.records import Record
from shared.contract.staff import Acting
from shared.contract.vocabulary import Tier

KeyId = Annotated[str, StringConstraints(pattern=r"^mk_[a-f0-9]{16}$")]
DEFAULT_KEY = "default"


class KeyScope(StrEnum):
    """What a key may call: one scope per resource and direction."""

    APPLICATIONS_WRITE = "applications:write"
    COMPLAINTS_READ = "complaints:read"
    COMPLAINTS_WRITE = "complaints:write"
    RECTIFICATIONS_READ = "rectifications:read"
    RECTIFICATIONS_WRITE = "rectifications:write"
    LICENCES_WRITE = "licences:write"
    NOTICES_READ = "notices:read"
    NOTICES_WRITE = "notices:write"
    REPORTS_READ = "reports:read"


COUNTY_WIDE = frozenset({KeyScope.LICENCES_WRITE, KeyScope.NOTICES_READ, KeyScope.NOTICES_WRITE,
                         KeyScope.REPORTS_READ})


class BackendKey(Record):
    """One issued key: never its secret (derived from the key root when a request is checked)."""

    key_id: KeyId
    label: str = Field(min_length=1, max_length=60)
    scopes: list[KeyScope] = Field(min_length=1)
    department: str | None = Field(default=None, max_length=60)
    tier: Tier | None = None
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    replaces: str | None = None      # the key this one rotates
    replaced_by: str | None = None   # its successor; both stay active until this one is revoked

    @model_validator(mode="after")
    def _county_wide_scopes_need_the_whole_county(self) -> BackendKey:
        bound = self.department or self.tier
        if bound and COUNTY_WIDE.intersection(self.scopes):
            wide = ", ".join(sorted(s.value for s in COUNTY_WIDE.intersection(self.scopes)))
            raise ValueError(f"{wide}: county-wide scopes, not for a key bound to a department or tier")
        return self

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoked_at is None


class BackendCaller(Acting):
    """Who signed a backend request: what it may call and over what (the default key: everything)."""

    key_id: str = DEFAULT_KEY
    scopes: frozenset[KeyScope] = frozenset(KeyScope)

    @classmethod
    def of(cls, key: BackendKey | None, source: str) -> BackendCaller:
        """The caller signing with ``key`` (None: the default key)."""
        if key is None:
            return cls(actor=f"key:{DEFAULT_KEY}", source=source)
        return cls(actor=f"key:{key.key_id}", source=source, key_id=key.key_id, scopes=frozenset(key.scopes),
                   department=key.department, tier=key.tier)

    def allows(self, scope: str) -> bool:
        """The key holds ``scope``."""
        return scope in self.scopes
