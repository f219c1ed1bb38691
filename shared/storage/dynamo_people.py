"""Citizens and channel accounts in DynamoDB (keys drawn in ``shared/storage/__init__.py``):
``CIT#<id>``/``CIT`` (``gsi1`` ``PHONE#<+86…>``), ``IDH#<hash>``/``IDH``, ``CIT#<id>``/``BIND#<channel>#<acct>``
and ``ACC#<channel>#<acct>``/``ACC`` (``gsi1`` ``UNION#<unionid>``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from shared.contract.records import Application, ChannelAccount, Citizen, Licence
from shared.storage.dynamo import Table
from shared.storage.dynamo_records import MAX_KEY, NEW, Staged
from shared.storage.notice_keys import reminded


def _acc(channel: str, account: str) -> dict[str, str]:
    return {"pk": f"ACC#{channel}#{account}", "sk": "ACC"}


def _binding(item: dict[str, Any], citizen_id: str) -> ChannelAccount:
    """A citizen's ``BIND#<channel>#<acct>`` item as the account it binds."""
    return ChannelAccount(channel=item["channel"], account=item["account"], since=item["since"],
                          citizen_id=citizen_id)


class DynamoCitizens:
    """Citizens and their ID-number lookup."""

    def __init__(self, table: Table, staged: Staged):
        self.table, self.staged = table, staged

    def get(self, citizen_id: str) -> Citizen | None:
        """By id."""
        item = self.table.get(f"CIT#{citizen_id}", "CIT")
        return Citizen.model_validate(item) if item else None

    def by_id_hash(self, id_hash: str) -> Citizen | None:
        """``IDH#`` → citizen."""
        ref = self.table.get(f"IDH#{id_hash}", "IDH")
        return self.get(ref["citizen_id"]) if ref else None

    def id_of(self, id_hash: str) -> str | None:
        """``IDH#`` alone."""
        ref = self.table.get(f"IDH#{id_hash}", "IDH")
        return str(ref["citizen_id"]) if ref else None

    def by_phone(self, phone: str) -> Citizen | None:
        """``gsi1`` ``PHONE#``, the latest first."""
        found = next(iter(self.table.query("gsi1pk = :p", {":p": f"PHONE#{phone}"}, index="gsi1", forward=False,
                                           limit=1)), None)
        return Citizen.model_validate(found) if found else None

    def add(self, citizen: Citizen) -> None:
        """Stage the lookup and the citizen, both new."""
        item = {"pk": f"CIT#{citizen.citizen_id}", "sk": "CIT", "gsi1pk": f"PHONE#{citizen.phone}",
                "gsi1sk": f"CIT#{citizen.citizen_id}", **citizen.model_dump(mode="json")}
        self.staged.add("citizens.add", citizen.id_hash, {"Put": {
            "Item": {"pk": f"IDH#{citizen.id_hash}", "sk": "IDH", "citizen_id": citizen.citizen_id},
            "ConditionExpression": NEW}})
        self.staged.add("citizens.add", citizen.citizen_id, {"Put": {"Item": item, "ConditionExpression": NEW}})

    def bindings(self, citizen_id: str) -> list[ChannelAccount]:
        """``BIND#`` items of the citizen."""
        return [_binding(i, citizen_id) for i in self.table.query("pk = :pk AND begins_with(sk, :b)",
                                          {":pk": f"CIT#{citizen_id}", ":b": "BIND#"})]

    def with_bindings(self, citizen_id: str) -> tuple[Citizen | None, list[ChannelAccount]]:
        """One query of the citizen's partition."""
        items = list(self.table.query("pk = :pk", {":pk": f"CIT#{citizen_id}"}))
        record = next((i for i in items if i["sk"] == "CIT"), None)
        bound = [_binding(i, citizen_id) for i in items if i["sk"].startswith("BIND#")]
        return (Citizen.model_validate(record) if record else None), bound

    def set_preferences(self, citizen_id: str, changes: dict[str, Any], chosen: bool) -> None:
        """Stage ``preferences.<field>`` sets on an existing citizen."""
        sets = ", ".join(f"preferences.#{k} = :{k}" for k in changes)
        values = {f":{k}": v for k, v in changes.items()}
        if chosen:
            sets, values[":chosen"] = sets + ", channels_chosen = :chosen", True
        self.staged.add("citizens.preferences", citizen_id, {"Update": {
            "Key": {"pk": f"CIT#{citizen_id}", "sk": "CIT"}, "UpdateExpression": "SET " + sets,
            "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeNames": {f"#{k}": k for k in changes},
            "ExpressionAttributeValues": values}})

    def opt_out_sms(self, citizen_id: str) -> None:
        """Stage the opt-out once."""
        self.staged.add("citizens.opt_out", citizen_id, {"Update": {
            "Key": {"pk": f"CIT#{citizen_id}", "sk": "CIT"}, "UpdateExpression": "SET preferences.sms_opt_out = :t",
            "ConditionExpression": "attribute_not_exists(preferences.sms_opt_out) OR preferences.sms_opt_out = :f",
            "ExpressionAttributeValues": {":t": True, ":f": False}}})


class DynamoLicences:
    """``LIC#<id>``/``LIC``; ``gsi1`` ``IDH#<hash>`` / ``LIC#<kind>#<id>``; ``gsi2`` ``EXP#<expires_on>`` / ``<id>``."""

    def __init__(self, table: Table, staged: Staged):
        self.table, self.staged = table, staged

    def put(self, licence: Licence, citizen_id: str | None) -> None:
        """Stage the item with its holder and expiry indexes."""
        fields = licence.model_dump(mode="json")
        item = {"pk": f"LIC#{licence.licence_id}", "sk": "LIC", "gsi1pk": f"IDH#{licence.id_hash}",
                "citizen_id": citizen_id, "gsi1sk": f"LIC#{fields['kind']}#{licence.licence_id}",
                "gsi2pk": f"EXP#{fields['expires_on']}", "gsi2sk": licence.licence_id, **fields}
        self.staged.add("licences.put", licence.licence_id, {"Put": {"Item": item}})

    def expiring_on(self, day: date) -> tuple[list[tuple[Licence, str | None]], set[tuple[str, int]]]:
        """``gsi2`` ``EXP#<day>``: the licences and the reminders stored beside them."""
        items = list(self.table.query("gsi2pk = :p", {":p": f"EXP#{day.isoformat()}"}, index="gsi2"))
        sent = {reminded(str(i["reminder_of"])) for i in items if i.get("reminder_of")}
        return [(Licence.model_validate(i), i.get("citizen_id")) for i in items if i["sk"] == "LIC"], sent

    def of_holder(self, id_hash: str) -> list[Licence]:
        """``gsi1`` ``IDH#``, ``begins_with LIC#``."""
        return [Licence.model_validate(i) for i in self.table.query(
            "gsi1pk = :p AND begins_with(gsi1sk, :l)", {":p": f"IDH#{id_hash}", ":l": "LIC#"}, index="gsi1")]


class DynamoAccounts:
    """Channel accounts."""

    def __init__(self, table: Table, staged: Staged):
        self.table, self.staged = table, staged

    def get(self, channel: str, account: str) -> ChannelAccount | None:
        """``ACC#…``."""
        item = self.table.get(**_acc(channel, account))
        return ChannelAccount.model_validate(item) if item else None

    def with_application(self, channel: str, account: str,
                         application_no: str) -> tuple[ChannelAccount | None, Application | None]:
        """One ``BatchGetItem``."""
        keys = [(f"ACC#{channel}#{account}", "ACC")]
        if len(application_no) <= MAX_KEY:
            keys.append((f"APP#{application_no}", "APP"))
        found = self.table.batch_get(keys)
        acc, app = found.get(keys[0]), found.get((f"APP#{application_no}", "APP"))
        return (ChannelAccount.model_validate(acc) if acc else None, Application.model_validate(app) if app else None)

    def of_unionid(self, unionid: str) -> list[ChannelAccount]:
        """``gsi1`` ``UNION#``."""
        return [ChannelAccount.model_validate(i)
                for i in self.table.query("gsi1pk = :u", {":u": f"UNION#{unionid}"}, index="gsi1")]

    def link(self, account: ChannelAccount, citizen_id: str, locale: str, now: datetime) -> None:
        """Stage the account's citizen and the citizen's ``BIND#`` item."""
        self.staged.add("accounts.link", account.account, {"Update": {
            "Key": _acc(account.channel, account.account),
            "UpdateExpression": "SET citizen_id = :c, channel = :ch, account = :a, "
                                "since = if_not_exists(since, :now), locale = :l",
            "ConditionExpression": "attribute_not_exists(citizen_id) OR citizen_id = :c",
            "ExpressionAttributeValues": {":c": citizen_id, ":ch": account.channel, ":a": account.account,
                                          ":now": now.isoformat(), ":l": locale}}})
        self.staged.add("accounts.binding", account.account, {"Put": {"Item": {
            "pk": f"CIT#{citizen_id}", "sk": f"BIND#{account.channel}#{account.account}", "channel": account.channel,
            "account": account.account, "since": now.isoformat()}, "ConditionExpression": NEW}})

    def update(self, channel: str, account: str, **fields: Any) -> None:
        """Stage the fields; a unionid also indexes the account on ``gsi1``."""
        values = {"channel": channel, "account": account, **fields}
        if fields.get("unionid"):
            values.update(gsi1pk=f"UNION#{fields['unionid']}", gsi1sk=f"ACC#{channel}")
        self.staged.add("accounts.update", account, {"Update": {
            "Key": _acc(channel, account), "UpdateExpression": "SET " + ", ".join(f"#{k} = :{k}" for k in values),
            "ExpressionAttributeNames": {f"#{k}": k for k in values},
            "ExpressionAttributeValues": {f":{k}": v for k, v in values.items()}}})
