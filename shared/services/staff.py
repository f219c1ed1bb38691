"""Console staff: accounts an administrator creates, sign-in with lockout, sessions and their CSRF tokens.

- Passwords are scrypt hashes (``shared/passwords.py``); an unknown or disabled username costs the same
  time as a wrong password and gets the same answer, so usernames cannot be probed.
- Five failed sign-ins in a row lock the account for 15 minutes (429 with ``Retry-After``), even for the
  right password (OWASP Authentication Cheat Sheet, "Account Lockout").
- A session is 256 random bits in an HttpOnly cookie; only its SHA-256 is stored, for 8 hours.
- Every form carries a CSRF token bound to the session (HMAC of its id): a synchronizer token that needs
  no storage (OWASP CSRF Prevention Cheat Sheet).
https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from shared.clock import Clock
from shared.contract.staff import AuditEntry, StaffAccount, StaffRole, StaffSession
from shared.errors import Conflict, Forbidden, RateLimited, Unauthorized, Unavailable, ValidationFailed
from shared.passwords import DUMMY, MIN_LENGTH, hash_password, verify_password
from shared.storage.ports import UnitOfWorkFactory

MAX_FAILURES = 5
LOCK = timedelta(minutes=15)
SESSION = timedelta(hours=8)
WRONG = "wrong username, password or one-time code"


class StaffService:
    """Creates staff accounts and signs staff in and out of the console."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, session_key: str):
        self.uow, self.clock, self._key = uow, clock, session_key.encode("utf-8")

    def create(self, username: str, display_name: str, role: str, password: str, *, by: StaffAccount | None = None,
               source: str = "", **scope: str | None) -> StaffAccount:
        """A new account (``scope``: department, township, village as the role needs), made by a county
        administrator (``by``; None: the deployment itself, seeding a stage); 409 if the name is taken."""

        if by is not None and by.role != StaffRole.COUNTY_ADMIN:
            raise Forbidden("only a county administrator creates staff accounts")
        if len(password) < MIN_LENGTH:
            raise ValidationFailed.field("password", f"at least {MIN_LENGTH} characters")
        account = ValidationFailed.check(StaffAccount, {
            "username": username, "display_name": display_name, "role": role,
            "password_hash": hash_password(password), "created_at": self.clock.now(), **scope},
            "account", "invalid staff account")
        unit = self.uow()
        if not unit.staff.add(account):
            raise Conflict(f"the username {username} is taken")
        self._audit(by.username if by else "system", "staff.create", account.username, source,
                    after={k: str(v) for k, v in account.model_dump(include={"display_name", "role", "department",
                                                                             "township", "village"}).items() if v})
        return account

    def ensure(self, username: str, display_name: str, role: str, password: str, **scope: str | None) -> bool:
        """Create the account unless it exists (seeding a stage); True when it was created."""
        if self.uow().staff.get(username):
            return False
        try:
            self.create(username, display_name, role, password, **scope)
        except Conflict:
            return False
        return True

    def sign_in(self, username: str, password: str, source: str = "", code: str = "") -> tuple[str, StaffSession]:
        """``(session id for the cookie, session)``; 401 for a wrong pair (or, with two-step sign-in on, a wrong,
        expired or already used ``code``), 429 while the name is locked.

        The try is claimed before the password is checked, so a burst of concurrent tries cannot outrun the
        lock; any name — known or not — locks the same way, so the answers say nothing about which exist."""
        unit, now, name = self.uow(), self.clock.now(), username.strip().lower()[:64]
        key, epoch = _digest("signin:" + name), int(now.timestamp())
        account = unit.staff.get(name)
        shown = name if account else "anonymous"
        if not unit.sign_in_attempts.claim(key, epoch, MAX_FAILURES):
            wait = unit.sign_in_attempts.locked_for(key, epoch) or int(LOCK.total_seconds())
            self._audit(shown, "staff.sign_in_refused", name if account else "", source, after={"reason": "locked"})
            raise RateLimited(wait, f"too many failed sign-ins: try again in {max(1, wait // 60)} minutes")
        good = verify_password(password, account.password_hash if account and not account.disabled else DUMMY)
        if not good or account is None:
            unit.sign_in_attempts.failed(key, epoch, MAX_FAILURES, int(LOCK.total_seconds()))
            reason = "wrong password" if account and not account.disabled else "unknown or disabled"
            self._audit(shown, "staff.sign_in_refused", name if account else "", source, after={"reason": reason})
            raise Unauthorized(WRONG)
        if account.totp and not self._code_holds(account, code, now.timestamp()):
            unit.sign_in_attempts.failed(key, epoch, MAX_FAILURES, int(LOCK.total_seconds()))
            self._audit(name, "staff.sign_in_refused", name, source, after={"reason": "wrong one-time code"})
            raise Unauthorized(WRONG)  # as a wrong password: the answer never confirms a password guess
        if not unit.sign_in_attempts.cleared(key, epoch):  # a lock landed while this try was checked
            raise RateLimited(int(LOCK.total_seconds()), "too many failed sign-ins: try again in 15 minutes")
        self._audit(name, "staff.sign_in", name, source)
        session_id = secrets.token_urlsafe(32)
        session = StaffSession(username=account.username, created_at=now, expires_at=now + SESSION)
        unit.staff_sessions.open(_digest(session_id), session)
        return session_id, session

    def _code_holds(self, account: StaffAccount, code: str, now: float) -> bool:
        from cryptography.exceptions import InvalidTag

        from shared.totp import matching_step, unseal

        try:
            secret = unseal(self._totp_key, account.username, account.totp or "")
        except (InvalidTag, ValueError):
            raise Unavailable("two-step sign-in cannot be checked: its key changed (MINQING_SESSION_KEY)") from None
        step = matching_step(secret, code, now)
        return step is not None and self.uow().staff.use_step(account.username, step)

    @property
    def _totp_key(self) -> bytes:
        return hmac.new(self._key, b"minqing totp seal", hashlib.sha256).digest()

    def two_step_offer(self, who: StaffAccount) -> tuple[str, str, str]:
        """A fresh secret for an authenticator app, its ``otpauth://`` URI and the same secret sealed for the form
        that confirms it (the server chose it; nothing is stored until confirmed)."""
        from shared.totp import new_secret, provisioning_uri, seal

        secret = new_secret()
        return secret, provisioning_uri(secret, who.username), seal(self._totp_key, "offer:" + who.username, secret)

    def two_step_on(self, who: StaffAccount, offered: str, code: str, source: str = "") -> None:
        """Turn two-step sign-in on once a code from the app proves it holds the offered secret (422 otherwise;
        409 while it is on: a new secret replaces the old one only after turning it off with a current code)."""
        from cryptography.exceptions import InvalidTag

        from shared.totp import matching_step, seal, unseal

        if who.totp:
            raise Conflict("two-step sign-in is already on: turn it off first, with a current code")
        try:
            secret = unseal(self._totp_key, "offer:" + who.username, offered)
        except (InvalidTag, ValueError):
            raise ValidationFailed.field("secret", "not a key this page offered: reload the page") from None
        step = matching_step(secret, code, self.clock.now().timestamp())
        if step is None:
            raise ValidationFailed.field("code", "not the app's current code: check the phone's clock, try again")
        self.uow().staff.set_totp(who.username, seal(self._totp_key, who.username, secret))
        self.uow().staff.use_step(who.username, step)
        self._audit(who.username, "staff.two_step_on", who.username, source)

    def two_step_off(self, who: StaffAccount, code: str, source: str = "") -> None:
        """Turn it off with a current code (422 otherwise)."""
        if not who.totp or not self._code_holds(who, code, self.clock.now().timestamp()):
            raise ValidationFailed.field("code", "a current code from the app is needed to turn it off")
        self.uow().staff.set_totp(who.username, None)
        self._audit(who.username, "staff.two_step_off", who.username, source)

    def signed_in(self, session_id: str | None) -> StaffAccount:
        """The account of a live session; 401 when there is none (expired, signed out, account disabled)."""
        unit = self.uow()
        session = unit.staff_sessions.get(_digest(session_id), self.clock.now()) if session_id else None
        account = unit.staff.get(session.username) if session else None
        if account is None or account.disabled:
            raise Unauthorized("sign in to the console")
        return account

    def sign_out(self, who: StaffAccount, session_id: str, source: str = "") -> None:
        """End the session."""
        self.uow().staff_sessions.close(_digest(session_id))
        self._audit(who.username, "staff.sign_out", who.username, source)

    def accounts(self, by: StaffAccount, limit: int = 50, after: str | None = None) -> tuple[list[StaffAccount],
                                                                                             str | None]:
        """A page of accounts by username (county administrators only)."""
        if by.role != StaffRole.COUNTY_ADMIN:
            raise Forbidden("only a county administrator sees the staff accounts")
        return self.uow().staff.listed(limit, after)

    def audit_log(self, by: StaffAccount, month: str, limit: int = 50, before: str | None = None,
                  actor: str | None = None, action: str | None = None) -> tuple[list[AuditEntry], str | None]:
        """A page of one month's audit log, newest first, optionally of one actor and kind of action (county
        administrators only; nobody edits it)."""
        if by.role != StaffRole.COUNTY_ADMIN:
            raise Forbidden("only a county administrator reads the audit log")
        return self.uow().audit.of_month(month, limit, before, actor=actor or None, action=action or None)

    def _audit(self, actor: str, action: str, target: str, source: str, after: dict[str, str] | None = None) -> None:
        self.uow().audit.add(AuditEntry(at=self.clock.now(), actor=actor, action=action, target=target,
                                        source=source[:64], after=after or {}))

    def csrf_token(self, session_id: str) -> str:
        """The token every form of this session carries."""
        return hmac.new(self._key, b"csrf:" + session_id.encode("utf-8"), hashlib.sha256).hexdigest()

    def check_csrf(self, session_id: str | None, token: Any) -> None:
        """403 unless ``token`` is this session's."""
        if not session_id or not isinstance(token, str) or \
                not hmac.compare_digest(self.csrf_token(session_id), token):
            raise Forbidden("the form has expired or did not come from the console: reload the page")


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()
