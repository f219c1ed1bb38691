"""Answers: the top-level JSON bodies of docs/contract.md that wrap views (lists, one-key envelopes,
the error body); the routes build them and the OpenAPI document is generated from them."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.contract.views import (
    ItemView,
    LicenceView,
    MeView,
    NoticeView,
    OperatorComplaintView,
    ProgressView,
    RatingView,
    RectificationView,
    View,
)
from shared.contract.vocabulary import ComplaintStatus, Tier
from shared.errors import MinqingError


class ErrorDetail(View):
    """One refused field (422) or another detail of an error."""

    field: str | None = None
    message: str


def _codes() -> str:
    """Every code of the error tree (shared/errors.py), as the one place that defines them says."""
    seen, todo = [], [MinqingError]
    while todo:
        error = todo.pop(0)
        todo += error.__subclasses__()
        if error is not MinqingError and error.code not in seen:
            seen.append(error.code)
    return ", ".join(seen)


class ErrorBody(View):
    """The inside of every error answer."""

    code: str = Field(description=_codes())
    message: str
    details: list[ErrorDetail]


class ErrorAnswer(View):
    """``{"error": {"code", "message", "details"}}``: every failure, on every route."""

    error: ErrorBody


class Health(View):
    """The deployment is up; the stage it runs as."""

    status: str
    stage: str


class OtpSent(View):
    """The code is on its way by SMS; ``expires_in``: seconds it stays valid."""

    expires_in: int


class BoundCitizen(View):
    """The citizen this account is now bound to (masked)."""

    citizen: MeView


class Area(View):
    """A township (乡镇/街道) of the county and its villages (村/社区)."""

    township: str
    villages: list[str]


class ItemList(View):
    """The catalogue: every item a citizen can apply for, with its form fields."""

    items: list[ItemView]
    areas: list[Area] = Field(default_factory=list)


class ApplicationList(View):
    """The caller's own applications, newest first."""

    applications: list[ProgressView]


class RatingAnswer(View):
    """The rating just recorded, with its label."""

    rating: RatingView


class ComplaintFiled(View):
    """The complaint is registered: its number and status."""

    complaint_no: str
    status: ComplaintStatus


class Subscriptions(View):
    """``GET /v1/subscriptions``: template ids per notice kind, and one-time consent credits held per
    template id."""

    templates: dict[str, str]
    credits: dict[str, int]


class Credits(View):
    """The one-time consent credits now held, per template id."""

    credits: dict[str, int]


class LicenceList(View):
    """The caller's licences (numbers masked), soonest expiry first."""

    licences: list[LicenceView]


class LicenceAnswer(View):
    """The licence as stored (number masked)."""

    licence: LicenceView


class ComplaintList(View):
    """Complaints with what an operator works with."""

    complaints: list[OperatorComplaintView]


class RectificationList(View):
    """差评整改 cases."""

    rectifications: list[RectificationView]


class NoticeList(View):
    """Notices with every attempt they took."""

    notices: list[NoticeView]


class ReportRow(View):
    """One department and tier of the assessment report (rates are fractions, ``null`` when nothing counts)."""

    department: str
    tier: Tier
    ratings: dict[str, int] = Field(description="count per level, keys '1'…'5'")
    rating_total: int
    satisfaction_rate: float | None
    bad_ratings: int
    rectification_rate: float | None
    rectification_on_time_rate: float | None
    complaints_counted: int
    complaint_on_time_reply_rate: float | None


class SatisfactionReport(View):
    """The assessment report (考核) for the period, one row per department and tier."""

    period_from: date = Field(alias="from")
    to: date
    rows: list[ReportRow]


class ServiceAnswer(View):
    """One catalogue item that answers a question, with what to bring, where and how long, in one text."""

    item_code: str
    name: str = Field(description="the item's name, in English when the question was")
    score: float = Field(ge=0, le=1, description="confidence; the chat channels answer from 0.5")
    text: str


class AnswerList(View):
    """Items ranked for a free-text question, best first, at most five; empty when nothing fits."""

    answers: list[ServiceAnswer]
