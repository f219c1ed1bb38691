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

    model_config = ConfigDict(json_schema_extra={"examples": [{"phone": "13800138000"}]})

    phone: str = Field(description="a mainland mobile: 11 digits or +86…; full-width digits are accepted")

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        phone = normalize_phone(v)
        if phone is None:
            raise ValueError("not a mainland mobile number")
        return phone


class BindIdentity(RequestOtp):
    """Bind the caller's channel account to the citizen with this ID number."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id_number": "11010519491231002X", "name": "张三", "phone": "13800138000", "otp": "123456"}]})

    id_number: str = Field(description="18-character resident ID (GB 11643, checksum verified); never stored in clear")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    otp: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]

    @field_validator("id_number")
    @classmethod
    def _id(cls, v: str) -> str:
        value = normalize_id_number(v)
        if value is None:
            raise ValueError("not a valid resident ID number (GB 11643)")
        return value


class BindSignedInPhone(Command):
    """The H5 portal's bind for a session signed in by phone: the phone is the session's, already proven."""

    id_number: str = Field(description="18-character resident ID (GB 11643, checksum verified); never stored in clear")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]

    _id = field_validator("id_number")(BindIdentity._id.__func__)  # type: ignore[attr-defined]


class UpdatePreferences(Command):
    """Change notice channels, SMS opt-out or locale."""

    channels: list[Channel] | None = None
    sms_opt_out: bool | None = None
    locale: Locale | None = None


class SubmitApplication(Command):
    """Apply for a catalogue item (申办)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"item_code": "V-CW-001", "form": {"purpose": "子女入学"}}]})

    item_code: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    form: dict[str, Annotated[str, StringConstraints(max_length=2000)]] = Field(default_factory=dict)
    township: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = Field(
        default=None, description="where a township or village service is asked for: one of `areas` in "
                                  "GET /v1/items; its staff then see the application, its rating and complaints")
    village: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = Field(
        default=None, description="a village (村/社区) of that township, for a village service")


class RateApplication(Command):
    """Rate a finished application (好差评)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"level": 5, "comment": "办得很快"}]})

    level: int = Field(ge=1, le=5, strict=True, description="5 非常满意 very satisfied, 4 满意, 3 基本满意, 2 不满意, "
                                                           "1 非常不满意; 2 or less opens a rectification case")
    comment: Note | None = None


class FileComplaint(Command):
    """Register a complaint (投诉), optionally about an application."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"content": "窗口人员态度不好"}]})

    content: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    application_no: str | None = None


class RecordConsents(Command):
    """One-time subscribe-message consents a citizen just gave (each is one credit: one message)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"template_ids": ["TPL-DONE"]}]})

    template_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=128)]] = Field(
        min_length=1, max_length=20)


class RecordApplicationEvent(Command):
    """The approval system moves an application (backend API)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "accepted"}]})

    status: AppStatus
    note: Note | None = None


class RecordRectificationEvent(Command):
    """An operator moves a rectification case."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "verified", "note": "已核实"}]})

    status: RectStatus
    note: Note | None = None


class RecordComplaintEvent(Command):
    """An operator moves a complaint, naming a department or giving the reply."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "assigned", "department": "县政务服务中心"}]})

    status: ComplaintStatus
    note: Note | None = None
    department: Note | None = None
    reply: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class UpsertLicence(Command):
    """Create or replace a licence (证照) held by the citizen with this ID number."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id_number": "11010519491231002X", "kind": "id_card", "number": "A1234567", "expires_on": "2030-06-30"}]})

    id_number: str
    kind: LicenceKind
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    expires_on: date

    _id = field_validator("id_number")(BindIdentity._id.__func__)  # type: ignore[attr-defined]


class ChannelLogin(Command):
    """A channel's one-time login code (wx.login, OA web OAuth)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "0a1B2c3D4e5F6g"}]})

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256)]


class AlipayLogin(Command):
    """An Alipay ``my.getAuthCode`` code."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"auth_code": "4b203fe6c11548bcabd8da5bb087a83b"}]})

    auth_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256)]
