"""Citizens and their channel accounts: tokens, binding, profile and preferences."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from shared.clock import Clock
from shared.contract.commands import BindIdentity, UpdatePreferences
from shared.contract.records import ChannelAccount, Citizen, Preferences
from shared.contract.views import MeView, TokenView
from shared.errors import Conflict, Forbidden, Unauthorized, Unavailable, ValidationFailed
from shared.personal_data import keyed_hash, mask_id, mask_name, mask_phone
from shared.ports import LoginExchange
from shared.services.otp import OtpService
from shared.sessions import Principal, SessionTokens
from shared.storage.dynamo import ConditionFailed, Table, TransactionCancelled

log = logging.getLogger(__name__)


class IdentityService:
    """Issues session tokens and binds channel accounts to one citizen."""

    def __init__(self, table: Table, tokens: SessionTokens, otp: OtpService, pepper: str, clock: Clock,
                 logins: Mapping[str, LoginExchange] | None = None):
        self.table, self.tokens, self.otp, self.pepper, self.clock = table, tokens, otp, pepper, clock
        self.logins = dict(logins or {})

    # --- tokens -------------------------------------------------------------------------
    def login(self, channel: str, code: str) -> TokenView:
        """A channel's login code for a session token: the account's earlier key passes on its citizen."""
        exchange = self.logins.get(channel)
        if exchange is None:
            raise Unavailable(f"{channel} login is not configured")
        who = exchange.exchange(code)
        principal = Principal(channel, who.account, who.unionid)
        if who.previous_account:
            self.adopt(principal, Principal(channel, who.previous_account), **who.ids)
        return self.issue_token(principal)

    def issue_token(self, principal: Principal) -> TokenView:
        """A session token for a channel account a channel login just proved (channel issues)."""
        account = self.account(principal)
        if principal.unionid:
            account = self._join_unionid(principal, account)
        return TokenView(token=self.tokens.issue(principal, int(self.clock.now().timestamp())),
                         expires_in=self.tokens.ttl, channel=principal.channel,
                         bound=account.citizen_id is not None)

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal of a ``Bearer`` header (Unauthorized otherwise)."""
        if not authorization or not authorization.startswith("Bearer "):
            raise Unauthorized("Authorization: Bearer <token> required")
        return self.tokens.verify(authorization[7:].strip(), int(self.clock.now().timestamp()))

    def account(self, principal: Principal) -> ChannelAccount:
        """The stored account of a principal (an unbound one if never seen)."""
        item = self.table.get(f"ACC#{principal.key}", "ACC")
        if item is None:
            return ChannelAccount(channel=principal.channel, account=principal.account)
        return ChannelAccount.model_validate(item)

    def citizen_of(self, principal: Principal) -> Citizen:
        """The citizen a principal is bound to; Forbidden for an unbound account.

        An ``sms`` principal is a phone: its citizen is the latest one who bound with it."""
        if principal.channel == "sms":
            found = next(iter(self.table.query("gsi1pk = :p", {":p": f"PHONE#{principal.account}"}, index="gsi1",
                                               forward=False, limit=1)), None)
            if found is None:
                raise Forbidden("this phone is not bound to a citizen")
            return Citizen.model_validate(found)
        citizen_id = self.account(principal).citizen_id
        citizen = self.get_citizen(citizen_id) if citizen_id else None
        if citizen is None:
            raise Forbidden("bind this account to your identity first (POST /v1/identity/bind)")
        return citizen

    def get_citizen(self, citizen_id: str) -> Citizen | None:
        """A citizen by id."""
        item = self.table.get(f"CIT#{citizen_id}", "CIT")
        return Citizen.model_validate(item) if item else None

    def citizen_by_id_hash(self, id_hash: str) -> Citizen | None:
        """A citizen by the keyed hash of their ID number."""
        ref = self.table.get(f"IDH#{id_hash}", "IDH")
        return self.get_citizen(ref["citizen_id"]) if ref else None

    # --- binding ------------------------------------------------------------------------
    def bind(self, principal: Principal, cmd: BindIdentity) -> MeView:
        """Verify the OTP, find or create the citizen, bind this account to them."""
        self.otp.verify(cmd.phone, cmd.otp)
        id_hash = keyed_hash(self.pepper, cmd.id_number)
        citizen = self.citizen_by_id_hash(id_hash) or self._create_citizen(principal, cmd, id_hash)
        if citizen.name != cmd.name:
            raise ValidationFailed.field("name", "does not match the name on record for this ID number")
        if citizen.phone != cmd.phone:
            raise Forbidden("this phone is not the one on record for this ID number; "
                            "please update it at a service counter")
        self._link(principal, citizen)
        if principal.unionid:
            for sibling in self._siblings(principal.unionid):
                if sibling.citizen_id is None and (sibling.channel, sibling.account) != (principal.channel,
                                                                                      principal.account):
                    self._link(Principal(sibling.channel, sibling.account, principal.unionid), citizen)
        log.info("account bound", extra={"channel": principal.channel, "citizen_id": citizen.citizen_id})
        return self.me(principal)

    def _create_citizen(self, principal: Principal, cmd: BindIdentity, id_hash: str) -> Citizen:
        citizen = Citizen(citizen_id=uuid.uuid4().hex, id_hash=id_hash, id_masked=mask_id(cmd.id_number),
                          name=cmd.name, phone=cmd.phone, created_at=self.clock.now(),
                          preferences=Preferences(channels=_default_channels(principal.channel)))
        try:
            self.table.transact([
                {"Put": {"Item": {"pk": f"IDH#{id_hash}", "sk": "IDH", "citizen_id": citizen.citizen_id},
                         "ConditionExpression": "attribute_not_exists(pk)"}},
                {"Put": {"Item": _citizen_item(citizen), "ConditionExpression": "attribute_not_exists(pk)"}},
            ])
        except TransactionCancelled:
            existing = self.citizen_by_id_hash(id_hash)
            if existing is None:
                raise
            return existing
        return citizen

    def _link(self, principal: Principal, citizen: Citizen) -> None:
        now = self.clock.now().isoformat()
        try:
            self.table.transact([
                {"Update": {"Key": {"pk": f"ACC#{principal.key}", "sk": "ACC"},
                            "UpdateExpression": "SET citizen_id = :c, channel = :ch, account = :a, "
                                                "since = if_not_exists(since, :now), locale = :l",
                            "ConditionExpression": "attribute_not_exists(citizen_id) OR citizen_id = :c",
                            "ExpressionAttributeValues": {":c": citizen.citizen_id, ":ch": principal.channel,
                                                          ":a": principal.account, ":now": now,
                                                          ":l": citizen.preferences.locale}}},
                {"Put": {"Item": {"pk": f"CIT#{citizen.citizen_id}", "sk": f"BIND#{principal.key}",
                                  "channel": principal.channel, "account": principal.account, "since": now},
                         "ConditionExpression": "attribute_not_exists(pk)"}},
            ])
        except TransactionCancelled as exc:
            if exc.reasons[0] == "ConditionalCheckFailed":
                raise Conflict("this account is already bound to another citizen") from None
            return  # already bound to this citizen: binding is idempotent
        if principal.channel not in citizen.preferences.channels:
            channels = [c for c in citizen.preferences.channels if c != "sms"] + [principal.channel, "sms"]
            self.table.update(f"CIT#{citizen.citizen_id}", "CIT", "SET preferences.channels = :c",
                              values={":c": channels})

    def adopt(self, principal: Principal, previous: Principal, **ids: str) -> None:
        """Keep both of a user's ids; an account known under ``previous`` (Alipay's user_id before
        the app moved to open_id) passes its citizen to ``principal``."""
        values = {":ch": principal.channel, ":a": principal.account, **{f":{k}": v for k, v in ids.items()}}
        self.table.update(f"ACC#{principal.key}", "ACC", "SET channel = :ch, account = :a, "
                          + ", ".join(f"{k} = :{k}" for k in ids), values=values)
        if self.account(principal).citizen_id is None:
            old = self.account(previous)
            citizen = self.get_citizen(old.citizen_id) if old.citizen_id else None
            if citizen is not None:
                self._link(principal, citizen)

    # --- unionid: one person's OA and mini-program accounts -------------------------------
    def _siblings(self, unionid: str) -> list[ChannelAccount]:
        return [ChannelAccount.model_validate(i) for i in self.table.query(
            "gsi1pk = :u", {":u": f"UNION#{unionid}"}, index="gsi1")]

    def _join_unionid(self, principal: Principal, account: ChannelAccount) -> ChannelAccount:
        """Record the unionid; an unbound account of a person already bound elsewhere is linked."""
        if account.unionid != principal.unionid:
            self.table.update(f"ACC#{principal.key}", "ACC",
                              "SET unionid = :u, channel = :ch, account = :a, gsi1pk = :g, gsi1sk = :s",
                              values={":u": principal.unionid, ":ch": principal.channel, ":a": principal.account,
                                      ":g": f"UNION#{principal.unionid}", ":s": f"ACC#{principal.channel}"})
        if account.citizen_id is None:
            bound = next((s for s in self._siblings(principal.unionid or "") if s.citizen_id), None)
            citizen = self.get_citizen(bound.citizen_id) if bound and bound.citizen_id else None
            if citizen is not None:
                self._link(principal, citizen)
                log.info("account linked by unionid", extra={"channel": principal.channel})
        return self.account(principal)

    # --- profile ------------------------------------------------------------------------
    def me(self, principal: Principal) -> MeView:
        """The caller's masked profile, bindings and preferences."""
        citizen = self.citizen_of(principal)
        bindings = [{"channel": "sms", "account": mask_phone(citizen.phone), "since": citizen.created_at}]
        for item in self.table.query("pk = :pk AND begins_with(sk, :b)",
                                     {":pk": f"CIT#{citizen.citizen_id}", ":b": "BIND#"}):
            bindings.append({"channel": item["channel"], "account": item["account"], "since": item["since"]})
        return MeView(id_number_masked=citizen.id_masked, name_masked=mask_name(citizen.name),
                      phone_masked=mask_phone(citizen.phone), bindings=bindings,
                      preferences=citizen.preferences)

    def update_preferences(self, principal: Principal, cmd: UpdatePreferences) -> MeView:
        """Change channels, SMS opt-out or locale."""
        citizen = self.citizen_of(principal)
        changes = cmd.model_dump(exclude_none=True, mode="json")
        if "channels" in changes and len(set(changes["channels"])) != len(changes["channels"]):
            raise ValidationFailed.field("channels", "each channel at most once")
        if changes:
            sets = ", ".join(f"preferences.#{k} = :{k}" for k in changes)
            if "channels" in changes:
                sets += ", channels_chosen = :chosen"
            self.table.update(f"CIT#{citizen.citizen_id}", "CIT", "SET " + sets,
                              names={f"#{k}": k for k in changes},
                              values={**{f":{k}": v for k, v in changes.items()},
                                      **({":chosen": True} if "channels" in changes else {})},
                              condition="attribute_exists(pk)")
        if "locale" in changes:  # accounts carry the locale so chat answers need no citizen read
            for b in self.table.query("pk = :pk AND begins_with(sk, :b)",
                                      {":pk": f"CIT#{citizen.citizen_id}", ":b": "BIND#"}):
                self.table.update(f"ACC#{b['channel']}#{b['account']}", "ACC", "SET locale = :l",
                                  values={":l": changes["locale"]})
        return self.me(principal)

    def opt_out_sms(self, citizen: Citizen) -> bool:
        """Stop notices by SMS; False when the citizen had already opted out."""
        try:
            self.table.update(f"CIT#{citizen.citizen_id}", "CIT", "SET preferences.sms_opt_out = :t",
                              values={":t": True, ":f": False},
                              condition="attribute_not_exists(preferences.sms_opt_out) OR preferences.sms_opt_out = :f")
        except ConditionFailed:
            return False
        return True

    def account_with(self, principal: Principal, pk: str, sk: str) -> tuple[ChannelAccount, dict[str, Any] | None]:
        """The principal's account and one other item, read in one request."""
        found = self.table.batch_get([(f"ACC#{principal.key}", "ACC"), (pk, sk)])
        raw = found.get((f"ACC#{principal.key}", "ACC"))
        account = ChannelAccount.model_validate(raw) if raw else ChannelAccount(channel=principal.channel,
                                                                               account=principal.account)
        return account, found.get((pk, sk))


def _default_channels(channel: str) -> list[str]:
    return [channel, "sms"] if channel != "sms" else ["sms"]


def _citizen_item(citizen: Citizen) -> dict[str, Any]:
    return {"pk": f"CIT#{citizen.citizen_id}", "sk": "CIT", "gsi1pk": f"PHONE#{citizen.phone}",
            "gsi1sk": f"CIT#{citizen.citizen_id}", **citizen.model_dump(mode="json")}

