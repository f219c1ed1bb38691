"""Citizens and channel accounts in memory (the fake; ``shared/storage/memory.py`` holds the rest)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shared.contract.records import Application, ChannelAccount, Citizen, Licence


class MemoryCitizens:
    """Citizens by id, ID hash and phone."""

    def __init__(self, store: Any, staged: Any):
        self.rows: dict[str, Citizen] = store.records.setdefault("citizens", {})
        self.bound: dict[str, dict[tuple[str, str], datetime]] = store.records.setdefault("bindings", {})
        self.staged = staged

    def get(self, citizen_id: str) -> Citizen | None:
        """By id."""
        row = self.rows.get(citizen_id)
        return row.model_copy(deep=True) if row else None

    def by_id_hash(self, id_hash: str) -> Citizen | None:
        """By ID hash."""
        return next((c.model_copy(deep=True) for c in self.rows.values() if c.id_hash == id_hash), None)

    def id_of(self, id_hash: str) -> str | None:
        """By ID hash, the id only."""
        found = self.by_id_hash(id_hash)
        return found.citizen_id if found else None

    def by_phone(self, phone: str) -> Citizen | None:
        """The latest with this phone."""
        found = sorted((c for c in self.rows.values() if c.phone == phone), key=lambda c: c.citizen_id)
        return found[-1].model_copy(deep=True) if found else None

    def add(self, citizen: Citizen) -> None:
        """Stage a new citizen."""
        copy = citizen.model_copy(deep=True)
        self.staged.writes.append((
            "citizens.add", citizen.citizen_id,
            lambda: citizen.citizen_id not in self.rows and self.by_id_hash(citizen.id_hash) is None,
            lambda: self.rows.__setitem__(citizen.citizen_id, copy)))

    def bindings(self, citizen_id: str) -> list[ChannelAccount]:
        """Bound accounts with ``since``."""
        return [ChannelAccount(channel=ch, account=acc, since=since, citizen_id=citizen_id)
                for (ch, acc), since in self.bound.get(citizen_id, {}).items()]

    def with_bindings(self, citizen_id: str) -> tuple[Citizen | None, list[ChannelAccount]]:
        """Both at once."""
        return self.get(citizen_id), self.bindings(citizen_id)

    def set_preferences(self, citizen_id: str, changes: dict[str, Any], chosen: bool) -> None:
        """Stage preference changes."""
        def apply() -> None:
            row = self.rows[citizen_id]
            prefs = row.preferences.model_copy(update=changes)
            self.rows[citizen_id] = row.model_copy(update={"preferences": prefs, **({"channels_chosen": True}
                                                                                   if chosen else {})})

        self.staged.writes.append(("citizens.preferences", citizen_id, lambda: citizen_id in self.rows, apply))

    def opt_out_sms(self, citizen_id: str) -> None:
        """Stage the opt-out once."""
        self.set_preferences(citizen_id, {"sms_opt_out": True}, False)
        _, key, _, apply = self.staged.writes.pop()
        self.staged.writes.append(("citizens.opt_out", key, lambda: citizen_id in self.rows
                                   and not self.rows[citizen_id].preferences.sms_opt_out, apply))


class MemoryLicences:
    """Licences by id."""

    def __init__(self, store: Any, staged: Any):
        self.rows: dict[str, Licence] = store.records.setdefault("licences", {})
        self.holders: dict[str, str | None] = store.records.setdefault("licence_holders", {})
        self.store, self.staged = store, staged

    def put(self, licence: Licence, citizen_id: str | None) -> None:
        """Stage the create-or-replace."""
        copy = licence.model_copy(deep=True)

        def apply() -> None:
            self.rows[licence.licence_id], self.holders[licence.licence_id] = copy, citizen_id

        self.staged.writes.append(("licences.put", licence.licence_id, lambda: True, apply))

    def expiring_on(self, day: date) -> tuple[list[tuple[Licence, str | None]], set[tuple[str, int]]]:
        """Licences expiring on ``day`` with the holder stored with them, and the reminders already written."""
        found = [(r.model_copy(deep=True), self.holders.get(r.licence_id))
                 for r in self.rows.values() if r.expires_on == day]
        sent = {(n.data["licence_id"], int(n.data["threshold"])) for n in self.store.records["notices"].values()
                if n.kind == "expiry_reminder" and n.data.get("expires_on") == day.isoformat()}
        return found, sent

    def of_holder(self, id_hash: str) -> list[Licence]:
        """Same ID hash."""
        return [r.model_copy(deep=True) for r in self.rows.values() if r.id_hash == id_hash]


class MemoryAccounts:
    """Channel accounts by (channel, account) and unionid."""

    def __init__(self, store: Any, staged: Any):
        self.rows: dict[tuple[str, str], ChannelAccount] = store.records.setdefault("accounts", {})
        self.bound: dict[str, dict[tuple[str, str], datetime]] = store.records.setdefault("bindings", {})
        self.applications: dict[str, Application] = store.records["applications"]
        self.staged = staged

    def get(self, channel: str, account: str) -> ChannelAccount | None:
        """The account, or None."""
        row = self.rows.get((channel, account))
        return row.model_copy(deep=True) if row else None

    def with_application(self, channel: str, account: str,
                         application_no: str) -> tuple[ChannelAccount | None, Application | None]:
        """Both at once."""
        app = self.applications.get(application_no)
        return self.get(channel, account), app.model_copy(deep=True) if app else None

    def of_unionid(self, unionid: str) -> list[ChannelAccount]:
        """Same unionid."""
        return [a.model_copy(deep=True) for a in self.rows.values() if a.unionid == unionid]

    def link(self, account: ChannelAccount, citizen_id: str, locale: str, now: datetime) -> None:
        """Stage the binding (two expectations, as in DynamoDB)."""
        key = (account.channel, account.account)

        def free() -> bool:
            row = self.rows.get(key)
            return row is None or row.citizen_id in (None, citizen_id)

        def apply() -> None:
            row = self.rows.get(key) or ChannelAccount(channel=account.channel, account=account.account)
            self.rows[key] = row.model_copy(update={"citizen_id": citizen_id, "since": row.since or now,
                                                    "locale": locale})
            self.bound.setdefault(citizen_id, {}).setdefault(key, now)

        self.staged.writes.append(("accounts.link", account.account, free, lambda: None))
        self.staged.writes.append(("accounts.binding", account.account,
                                   lambda: key not in self.bound.get(citizen_id, {}), apply))

    def update(self, channel: str, account: str, **fields: Any) -> None:
        """Stage the fields."""
        key = (channel, account)

        def apply() -> None:
            row = self.rows.get(key) or ChannelAccount(channel=channel, account=account)
            known = {k: v for k, v in fields.items() if k in ChannelAccount.model_fields}
            self.rows[key] = row.model_copy(update=known)

        self.staged.writes.append(("accounts.update", account, lambda: True, apply))
