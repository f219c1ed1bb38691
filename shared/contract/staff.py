"""Staff of the county, its townships and villages (三级), as the console (``/console/``) signs them in.

A role's reach: the county administrator sees everything; a department handler what is assigned to its
department; township staff their township and its villages; village staff their village.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from shared.contract.records import Record

Username = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{2,31}$")]


class StaffRole(StrEnum):
    """What a staff account may do, and over what."""

    COUNTY_ADMIN = "county_admin"
    DEPARTMENT_HANDLER = "department_handler"
    TOWNSHIP_STAFF = "township_staff"
    VILLAGE_STAFF = "village_staff"


class StaffAccount(Record):
    """One person's console account; the password only as its scrypt hash (``shared/passwords.py``)."""

    username: Username
    display_name: str = Field(min_length=1, max_length=60)
    role: StaffRole
    department: str | None = None   # a department handler's department
    township: str | None = None     # township and village staff: where they work
    village: str | None = None      # village staff only
    password_hash: str
    disabled: bool = False
    created_at: datetime
    totp: str | None = None         # two-step sign-in: the TOTP secret, sealed (shared/totp.py)
    totp_step: int | None = None    # the last time step a code was accepted for (a code works once)

    @model_validator(mode="after")
    def _scoped(self) -> StaffAccount:
        needs = {StaffRole.DEPARTMENT_HANDLER: ("department",), StaffRole.TOWNSHIP_STAFF: ("township",),
                 StaffRole.VILLAGE_STAFF: ("township", "village")}.get(self.role, ())
        missing = [name for name in needs if not getattr(self, name)]
        if missing:
            raise ValueError(f"a {self.role.value} account needs {', '.join(missing)}")
        return self


class StaffSession(Record):
    """A signed-in staff member's session (the cookie holds only a random id; this is stored by its hash)."""

    username: str
    created_at: datetime
    expires_at: datetime


class AuditEntry(Record):
    """One staff action or key use that changed something (安全审计): who, what, when, from where, before → after.
    Written once, never changed; values masked as everything a person reads."""

    at: datetime
    actor: str                      # a staff username, or ``key:<id>`` for a backend key
    action: str                     # e.g. ``staff.sign_in``, ``staff.create``, ``complaint.reply``
    target: str = ""                # what it acted on: a username, a complaint number…
    source: str = ""                # where from: the client's IP address
    before: dict[str, str] = Field(default_factory=dict)
    after: dict[str, str] = Field(default_factory=dict)


class Acting(Record):
    """Who changes something, as the audit log names them, and the department and tier they are bound to."""

    actor: str                      # a staff username, or ``key:<id>``
    source: str = ""                # the client's IP address
    department: str | None = None
    tier: str | None = None

    def reaches(self, department: str | None, tier: str | None) -> bool:
        """A record of ``department`` at ``tier`` is within the binding."""
        return (self.department is None or department == self.department) and (self.tier is None or tier == self.tier)
