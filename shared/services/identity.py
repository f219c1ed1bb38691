"""Citizens and their channel accounts: tokens, binding, profile and preferences."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping

from shared.clock import Clock
from shared.contract.commands import BindIdentity, BindSignedInPhone, UpdatePreferences
from shared.contract.records import Application, ChannelAccount, Citizen, Preferences
from shared.contract.views import MeView, TokenView
from shared.errors import Conflict, Forbidden, NotBound, Unauthorized, Unavailable, ValidationFailed
from shared.personal_data import keyed_hash, mask_id, mask_name, mask_phone
from shared.ports import LoginExchange
from shared.services.otp import OtpService
from shared.sessions import Principal, SessionTokens
from shared.storage.ports import UnitOfWorkFactory, WriteConflict

log = logging.getLogger(__name__)


class IdentityService:
    """Issues session tokens and binds channel accounts to one citizen."""

    def __init__(self, uow: UnitOfWorkFactory, tokens: SessionTokens, otp: OtpService, pepper: str, clock: Clock,
                 logins: Mapping[str, LoginExchange] | None = None):
        self.uow, self.tokens, self.otp, self.pepper, self.clock = uow, tokens, otp, pepper, clock
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
        stored = self.uow().accounts.get(principal.channel, principal.account)
        return stored or ChannelAccount(channel=principal.channel, account=principal.account)

    def citizen_of(self, principal: Principal) -> Citizen:
        """The citizen a principal is bound to; Forbidden for an unbound account.

        An ``sms`` principal is a phone: its citizen is the latest one who bound with it."""
        if principal.channel == "sms":
            found = self.uow().citizens.by_phone(principal.account)
            if found is None:
                raise NotBound("this phone is not bound to a citizen")
            return found
        citizen_id = self.account(principal).citizen_id
        citizen = self.get_citizen(citizen_id) if citizen_id else None
        if citizen is None:
            raise NotBound("bind this account to your identity first (POST /v1/identity/bind)")
        return citizen

    def get_citizen(self, citizen_id: str) -> Citizen | None:
        """A citizen by id."""
        return self.uow().citizens.get(citizen_id)

    def citizen_by_id_hash(self, id_hash: str) -> Citizen | None:
        """A citizen by the keyed hash of their ID number."""
        return self.uow().citizens.by_id_hash(id_hash)

    # --- binding ------------------------------------------------------------------------
    def bind(self, principal: Principal, cmd: BindIdentity) -> MeView:
        """Verify the OTP, find or create the citizen, bind this account to them."""
        self.otp.verify(cmd.phone, cmd.otp)
        return self._bind(principal, cmd, cmd.phone)

    def bind_signed_in_phone(self, principal: Principal, cmd: BindSignedInPhone) -> MeView:
        """Bind a phone that signed in with a one-time code (the H5 portal's ``sms`` session) to the citizen
        with this ID number: the phone is already proven, so no second code."""
        if principal.channel != "sms":
            raise Forbidden("only a session signed in by phone binds without a code")
        return self._bind(principal, cmd, principal.account)

    def _bind(self, principal: Principal, cmd: BindIdentity | BindSignedInPhone, phone: str) -> MeView:
        """Find or create the citizen with ``cmd``'s ID number and ``phone``; bind this account to them."""
        id_hash = keyed_hash(self.pepper, cmd.id_number)
        citizen = self.citizen_by_id_hash(id_hash) or self._create_citizen(principal, cmd, phone, id_hash)
        if citizen.name != cmd.name:
            raise ValidationFailed.field("name", "does not match the name on record for this ID number")
        if citizen.phone != phone:
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

    def _create_citizen(self, principal: Principal, cmd: BindIdentity | BindSignedInPhone, phone: str,
                        id_hash: str) -> Citizen:
        citizen = Citizen(citizen_id=uuid.uuid4().hex, id_hash=id_hash, id_masked=mask_id(cmd.id_number),
                          name=cmd.name, phone=phone, created_at=self.clock.now(),
                          preferences=Preferences(channels=_default_channels(principal.channel)))
        uow = self.uow()
        uow.citizens.add(citizen)
        try:
            uow.commit()
        except WriteConflict:
            existing = self.citizen_by_id_hash(id_hash)
            if existing is None:
                raise
            return existing
        return citizen

    def _link(self, principal: Principal, citizen: Citizen) -> None:
        uow = self.uow()
        uow.accounts.link(ChannelAccount(channel=principal.channel, account=principal.account), citizen.citizen_id,
                          citizen.preferences.locale, self.clock.now())
        try:
            uow.commit()
        except WriteConflict as exc:
            if exc.label == "accounts.link":
                raise Conflict("this account is already bound to another citizen") from None
            return  # already bound to this citizen: binding is idempotent
        citizen = self.get_citizen(citizen.citizen_id) or citizen  # as it stands now: siblings link in turn
        if principal.channel not in citizen.preferences.channels:
            channels = [c for c in citizen.preferences.channels if c != "sms"] + [principal.channel, "sms"]
            uow.citizens.set_preferences(citizen.citizen_id, {"channels": channels}, False)
            uow.commit()

    def adopt(self, principal: Principal, previous: Principal, **ids: str) -> None:
        """Keep both of a user's ids; an account known under ``previous`` (Alipay's user_id before
        the app moved to open_id) passes its citizen to ``principal``."""
        uow = self.uow()
        uow.accounts.update(principal.channel, principal.account, **ids)
        uow.commit()
        if self.account(principal).citizen_id is None:
            old = self.account(previous)
            citizen = self.get_citizen(old.citizen_id) if old.citizen_id else None
            if citizen is not None:
                self._link(principal, citizen)

    # --- unionid: one person's OA and mini-program accounts -------------------------------
    def _siblings(self, unionid: str) -> list[ChannelAccount]:
        return self.uow().accounts.of_unionid(unionid)

    def _join_unionid(self, principal: Principal, account: ChannelAccount) -> ChannelAccount:
        """Record the unionid; an unbound account of a person already bound elsewhere is linked."""
        if account.unionid != principal.unionid:
            uow = self.uow()
            uow.accounts.update(principal.channel, principal.account, unionid=principal.unionid)
            uow.commit()
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
        for bound in self.uow().citizens.bindings(citizen.citizen_id):
            if bound.channel == "sms":  # a phone signed in on the H5 pages: the phone is listed once, above
                continue
            bindings.append({"channel": bound.channel, "account": bound.account, "since": bound.since})
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
            uow = self.uow()
            uow.citizens.set_preferences(citizen.citizen_id, changes, "channels" in changes)
            uow.commit()
        if "locale" in changes:  # accounts carry the locale so chat answers need no citizen read
            for bound in self.uow().citizens.bindings(citizen.citizen_id):
                uow = self.uow()
                uow.accounts.update(bound.channel, bound.account, locale=changes["locale"])
                uow.commit()
        return self.me(principal)

    def opt_out_sms(self, citizen: Citizen) -> bool:
        """Stop notices by SMS; False when the citizen had already opted out."""
        uow = self.uow()
        uow.citizens.opt_out_sms(citizen.citizen_id)
        try:
            uow.commit()
        except WriteConflict:
            return False
        return True

    def account_with_application(self, principal: Principal,
                                 application_no: str) -> tuple[ChannelAccount, Application | None]:
        """The principal's account and one application, read in one request (a chat answer's budget)."""
        account, app = self.uow().accounts.with_application(principal.channel, principal.account, application_no)
        return account or ChannelAccount(channel=principal.channel, account=principal.account), app


def _default_channels(channel: str) -> list[str]:
    return [channel, "sms"] if channel != "sms" else ["sms"]
