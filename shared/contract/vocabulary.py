"""The fixed vocabulary of docs/contract.md: channels, tiers, statuses, levels, kinds, with labels."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """The four channels citizens reach the county through."""

    WECHAT_OA = "wechat_oa"
    WECHAT_MINI = "wechat_mini"
    ALIPAY = "alipay"
    SMS = "sms"


class Tier(StrEnum):
    """三级: county (县/区), township (乡镇/街办), village (村/社区)."""

    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


class AppStatus(StrEnum):
    """Application lifecycle statuses (see ``shared.lifecycle`` for the allowed moves)."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    IN_REVIEW = "in_review"
    SUPPLEMENT_REQUIRED = "supplement_required"
    COMPLETED = "completed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class RectStatus(StrEnum):
    """差评整改 case statuses."""

    OPEN = "open"
    VERIFIED = "verified"
    RECTIFIED = "rectified"
    FOLLOWED_UP = "followed_up"
    DISMISSED = "dismissed"


class ComplaintStatus(StrEnum):
    """投诉 closed-loop statuses."""

    REGISTERED = "registered"
    ASSIGNED = "assigned"
    REPLIED = "replied"
    FOLLOWED_UP = "followed_up"
    CLOSED = "closed"


class NoticeKind(StrEnum):
    """What a notice is about."""

    COMPLETION = "completion"
    SUPPLEMENT_REQUIRED = "supplement_required"
    EXPIRY_REMINDER = "expiry_reminder"
    RATING_INVITE = "rating_invite"
    COMPLAINT_REPLY = "complaint_reply"
    OTP = "otp"


class NoticeStatus(StrEnum):
    """Where a notice stands: it ends delivered or visibly failed."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class LicenceKind(StrEnum):
    """证照 kinds known to the reminders."""

    ID_CARD = "id_card"
    DRIVING_LICENCE = "driving_licence"
    BUSINESS_LICENCE = "business_licence"
    DISABILITY_CARD = "disability_card"
    RESIDENCE_PERMIT = "residence_permit"
    HEALTH_CERTIFICATE = "health_certificate"


class Locale(StrEnum):
    """Languages citizen-facing texts come in."""

    ZH_CN = "zh-CN"
    EN = "en"


STATUS_LABELS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "submitted": "已提交", "accepted": "已受理", "in_review": "审查中",
        "supplement_required": "待补正", "completed": "已办结", "rejected": "不予受理",
        "withdrawn": "已撤回",
    },
    "en": {
        "submitted": "Submitted", "accepted": "Accepted", "in_review": "In review",
        "supplement_required": "Supplement required", "completed": "Completed",
        "rejected": "Rejected", "withdrawn": "Withdrawn",
    },
}

RATING_LABELS: dict[str, dict[int, str]] = {
    "zh-CN": {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"},
    "en": {5: "Very satisfied", 4: "Satisfied", 3: "Fairly satisfied", 2: "Dissatisfied",
           1: "Very dissatisfied"},
}


def status_label(status: str, locale: str = "zh-CN") -> str:
    """The citizen-facing label of an application status."""
    return STATUS_LABELS.get(locale, STATUS_LABELS["zh-CN"]).get(status, status)


def rating_label(level: int, locale: str = "zh-CN") -> str:
    """The citizen-facing label of a rating level."""
    return RATING_LABELS.get(locale, RATING_LABELS["zh-CN"])[level]
