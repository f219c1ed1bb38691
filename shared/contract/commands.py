"""Commands: what a citizen, a channel or the backend asks Minqing to do (imperative names).

Bodies of docs/contract.md map onto these field for field; ``ValidationError`` becomes a 422.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from shared.contract.vocabulary import (
    AppStatus,
    Channel,
    ComplaintStatus,
    LicenceKind,
    Locale,
    RectStatus,
)
from shared.personal_data import normalize_id_number, normalize_phone

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class Command(BaseModel):
    """Base of all commands: unknown fields are refused, strings are not coerced, and invisible format
    characters (zero-width spaces, BOMs, bidi marks) are removed from every string before validation, so
    a field of nothing but them is empty."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _visible(cls, data: Any) -> Any:
        return _without_format_chars(data)


INVISIBLE = frozenset("\u200b\ufeff\u2060\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                      "\u2066\u2067\u2068\u2069")  # zero-width space, BOM, word joiner, soft hyphen, bidi controls


def _without_format_chars(value: Any) -> Any:
    """``value`` with invisible characters removed from every string in it (ZWJ/ZWNJ stay: emoji and
    Persian or Uyghur spelling need them)."""
    if isinstance(value, str):
        return "".join(c for c in value if c not in INVISIBLE)
    if isinstance(value, dict):
        return {k: _without_format_chars(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_format_chars(v) for v in value]
    return value


class RequestOtp(Command):
    """Send a 6-digit code to a phone."""

    phone: str

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        phone = normalize_phone(v)
        if phone is None:
            raise ValueError("not a mainland mobile number")
        return phone


class BindIdentity(RequestOtp):
    """Bind the caller's channel account to the citizen with this ID number."""

    id_number: str
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    otp: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]

    @field_validator("id_number")
    @classmethod
    def _id(cls, v: str) -> str:
        value = normalize_id_number(v)
        if value is None:
            raise ValueError("not a valid resident ID number (GB 11643)")
        return value


class UpdatePreferences(Command):
    """Change notice channels, SMS opt-out or locale."""

    channels: list[Channel] | None = None
    sms_opt_out: bool | None = None
    locale: Locale | None = None


class SubmitApplication(Command):
    """Apply for a catalogue item (申办)."""

    item_code: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    form: dict[str, Annotated[str, StringConstraints(max_length=2000)]] = Field(default_factory=dict)


class RateApplication(Command):
    """Rate a finished application (好差评)."""

    level: int = Field(ge=1, le=5, strict=True)
    comment: Note | None = None


class FileComplaint(Command):
    """Register a complaint (投诉), optionally about an application."""

    content: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    application_no: str | None = None


class RecordConsents(Command):
    """One-time subscribe-message consents a citizen just gave."""

    template_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=128)]] = Field(
        min_length=1, max_length=20)


class RecordApplicationEvent(Command):
    """The approval system moves an application (backend API)."""

    status: AppStatus
    note: Note | None = None


class RecordRectificationEvent(Command):
    """An operator moves a rectification case."""

    status: RectStatus
    note: Note | None = None


class RecordComplaintEvent(Command):
    """An operator moves a complaint, naming a department or giving the reply."""

    status: ComplaintStatus
    note: Note | None = None
    department: Note | None = None
    reply: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class UpsertLicence(Command):
    """Create or replace a licence (证照) held by the citizen with this ID number."""

    id_number: str
    kind: LicenceKind
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    expires_on: date

    _id = field_validator("id_number")(BindIdentity._id.__func__)  # type: ignore[attr-defined]


class ChannelLogin(Command):
    """A channel's one-time login code (wx.login, OA web OAuth)."""

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256)]


class AlipayLogin(Command):
    """An Alipay ``my.getAuthCode`` code."""

    auth_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256)]
