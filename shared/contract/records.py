"""What Minqing keeps: citizens, accounts, catalogue items, applications, licences, ratings,
rectification cases, complaints, notices and their delivery attempts.

No record holds an ID number in clear: only its keyed hash and mask.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.contract.vocabulary import Tier


def area_tier(township: str | None, village: str | None) -> str:
    """The tier (三级) a record belongs to by the area it names: village, township, else county."""
    return "village" if village else "township" if township else "county"


class Record(BaseModel):
    """Base of stored records; extra attributes from storage (keys) are ignored."""

    model_config = ConfigDict(extra="ignore", defer_build=True)


class TimelineEntry(Record):
    """One step of an application, case or complaint."""

    status: str
    at: datetime
    note: str | None = None


class Preferences(Record):
    """How a citizen wants to hear from the county."""

    channels: list[str] = Field(default_factory=list)
    sms_opt_out: bool = False
    locale: str = "zh-CN"


class Citizen(Record):
    """A person, found by the keyed hash of their ID number."""

    citizen_id: str
    id_hash: str
    id_masked: str
    name: str
    phone: str
    preferences: Preferences = Field(default_factory=Preferences)
    channels_chosen: bool = False  # the citizen set an order: it then beats "the channel you applied on"
    created_at: datetime


class ChannelAccount(Record):
    """An account on one channel (openid, Alipay id, phone), maybe bound to a citizen."""

    channel: str
    account: str
    citizen_id: str | None = None
    unionid: str | None = None
    since: datetime | None = None
    locale: str | None = None


class FormField(Record):
    """A field an item's application form asks for."""

    name: str
    label: str
    required: bool = True


class CatalogueItem(Record):
    """A service item (事项) of the county's catalogue: what to bring, where, when, what it costs, how long."""

    code: str
    name: str
    name_en: str = ""
    department: str
    tier: Tier
    promised_days: int = Field(ge=1)     # 承诺时限, working days from acceptance
    legal_days: int | None = Field(default=None, ge=1)  # 法定时限
    online: bool = False                 # 全程网办
    materials: list[str] = Field(default_factory=list)  # 申请材料
    location: str = ""
    hours: str = ""
    fee: str = ""
    description: str = ""
    fields: list[FormField] = Field(default_factory=list)


class Rating(Record):
    """好差评 of one application."""

    level: int
    comment: str | None = None
    rated_at: datetime
    channel: str | None = None
    case_id: str | None = None  # the 差评整改 case a bad rating opened, for the citizen to follow


class Application(Record):
    """A 申办 and its lifecycle."""

    application_no: str
    citizen_id: str
    account: str
    item_code: str
    item_name: str
    promised_days: int = 1
    form: dict[str, str] = Field(default_factory=dict)
    status: str
    timeline: list[TimelineEntry]
    submitted_at: datetime
    finished_at: datetime | None = None
    deadline: date | None = None
    rating: Rating | None = None
    invited: bool = False  # asked to rate (once)
    township: str | None = None  # where it was asked for (township and village services)
    village: str | None = None


class Licence(Record):
    """A 证照 with its expiry, held by the citizen whose ID hash it carries."""

    licence_id: str
    id_hash: str
    kind: str
    number_masked: str
    number_hash: str
    expires_on: date
    updated_at: datetime


class RectificationCase(Record):
    """差评整改 opened by a rating of level ≤ 2."""

    case_id: str
    application_no: str
    citizen_id: str
    department: str | None = None
    tier: str | None = None
    township: str | None = None
    village: str | None = None
    level: int
    status: str
    due: date
    timeline: list[TimelineEntry]
    supervised: bool = False
    supervised_at: datetime | None = None


class Complaint(Record):
    """投诉 and its closed loop."""

    complaint_no: str
    citizen_id: str
    account: str
    content: str
    application_no: str | None = None
    status: str
    department: str | None = None
    township: str | None = None  # the application's, when it names one
    village: str | None = None
    reply: str | None = None
    due: date
    timeline: list[TimelineEntry]
    supervised: bool = False
    supervised_at: datetime | None = None


class DeliveryAttempt(Record):
    """One try at delivering a notice on one channel (``failed`` closes a notice with its reason)."""

    channel: str
    at: datetime
    outcome: str
    detail: str | None = None


class Address(Record):
    """A fixed destination: replies to whoever wrote (bound or not) and messages to staff."""

    channel: str
    account: str
    locale: str = "zh-CN"


class Notice(Record):
    """A message owed to a person; it ends delivered or visibly failed.

    Addressed to a citizen (``citizen_id``: their channels in order) or to one ``to`` address.
    ``text`` holds words composed in advance (replies); otherwise channels render ``kind`` and
    ``data``. ``gen`` numbers the queue message that may act on it (older ones are stale),
    ``next_at`` is when it is due, ``waiting`` why it waits, ``budget_from`` the first attempt
    that counts against the channels' retry budget (an operator's retry starts a fresh one).
    """

    notice_id: str
    kind: str
    citizen_id: str | None = None
    to: Address | None = None
    application_no: str | None = None
    complaint_no: str | None = None
    status: str = "pending"
    data: dict[str, str] = Field(default_factory=dict)
    text: str | None = None
    attempts: list[DeliveryAttempt] = Field(default_factory=list)
    created_at: datetime
    gen: int = 0
    next_at: int = 0
    waiting: str | None = None
    budget_from: int = 0
    aged_from: int = 0  # when its maximum age started counting (an operator's retry restarts it); 0: created_at
    lease_until: int = 0
