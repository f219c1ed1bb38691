"""Views: exactly the JSON bodies docs/contract.md answers with (masked, never a full ID or phone)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.contract.records import FormField, Notice, Preferences, TimelineEntry
from shared.contract.vocabulary import (
    AppStatus,
    Channel,
    ComplaintStatus,
    LicenceKind,
    NoticeStatus,
    RectStatus,
    Tier,
)
from shared.personal_data import mask_phone


class View(BaseModel):
    """Base of response bodies (schemas built at first use, not at import)."""

    model_config = ConfigDict(defer_build=True)


class TokenView(View):
    """A session token for this channel account (2 h) and whether it is bound to a citizen yet."""

    token: str
    expires_in: int
    channel: Channel
    bound: bool


class BindingView(View):
    """One bound channel account."""

    channel: Channel
    account: str
    since: datetime


class MeView(View):
    """The caller's profile, masked: bindings and notice preferences."""

    id_number_masked: str
    name_masked: str
    phone_masked: str
    bindings: list[BindingView]
    preferences: Preferences


class ItemView(View):
    """One catalogue item of ``GET /v1/items``."""

    code: str
    name: str
    name_en: str = Field("", description="the item's name in English")
    department: str
    tier: Tier
    promised_days: int = Field(description="承诺时限: working days from acceptance")
    legal_days: int | None = Field(None, description="法定时限: the legal limit in working days")
    online: bool = Field(False, description="全程网办: can be done online from start to finish")
    materials: list[str] = Field([], description="申请材料: what to bring")
    location: str = Field("", description="where to go")
    hours: str = Field("", description="when the place is open")
    fee: str = Field("", description="what it costs (免费 when free)")
    description: str = Field("", description="who it is for and what it gives")
    fields: list[FormField]


class SubmittedView(View):
    """The application is submitted: its number and status."""

    application_no: str
    status: AppStatus
    item_code: str
    submitted_at: datetime


class ItemRef(View):
    """The item an application is for."""

    code: str
    name: str


class RatingView(View):
    """A rating as the citizen sees it."""

    level: int
    label: str
    rated_at: datetime


class ProgressView(View):
    """An application's progress: status (and its label), timeline, promised date, rating."""

    application_no: str
    item: ItemRef
    status: AppStatus
    status_label: str
    timeline: list[TimelineEntry]
    deadline: date | None
    rating: RatingView | None


class ComplaintView(View):
    """A complaint as its citizen (or an operator) sees it."""

    complaint_no: str
    status: ComplaintStatus
    timeline: list[TimelineEntry]
    reply: str | None = None
    supervised: bool = False
    supervised_at: datetime | None = None


class OperatorComplaintView(ComplaintView):
    """A complaint in the backend list: adds what an operator works with."""

    content: str
    application_no: str | None = None
    department: str | None = None
    township: str | None = None
    village: str | None = None
    due: date


class RectificationView(View):
    """A 差评整改 case in the backend list."""

    case_id: str
    application_no: str
    department: str | None = None
    tier: Tier | None = None
    township: str | None = None
    village: str | None = None
    level: int
    status: RectStatus
    due: date
    timeline: list[TimelineEntry] = []
    supervised: bool = False
    supervised_at: datetime | None = None


class LicenceView(View):
    """One licence of ``GET /v1/licences``."""

    licence_id: str
    kind: LicenceKind
    number_masked: str
    expires_on: date


class AttemptView(View):
    """One delivery attempt."""

    channel: str
    at: datetime
    outcome: str
    detail: str | None = None


class NoticeView(View):
    """A notice with all its attempts (backend API); ``to`` (masked) for replies and staff messages,
    ``waiting`` says why a pending notice waits (quiet hours, an SMS limit) — waiting is not failing."""

    notice_id: str
    kind: str
    status: NoticeStatus
    application_no: str | None = None
    complaint_no: str | None = None
    to: str | None = None
    created_at: datetime | None = None
    waiting: str | None = None
    attempts: list[AttemptView]

    @classmethod
    def from_notice(cls, notice: Notice) -> NoticeView:
        """The view of a stored notice (a phone or openid address masked)."""
        to = None
        if notice.to:
            account = notice.to.account
            to = f"{notice.to.channel}:{mask_phone(account) if notice.to.channel == 'sms' else account}"
        return cls(notice_id=notice.notice_id, kind=notice.kind, status=notice.status, to=to,
                   application_no=notice.application_no, complaint_no=notice.complaint_no,
                   created_at=notice.created_at, waiting=notice.waiting if notice.status == "pending" else None,
                   attempts=[AttemptView.model_validate(a.model_dump()) for a in notice.attempts])
