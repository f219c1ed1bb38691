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
    """``GET /health``."""

    status: str
    stage: str


class OtpSent(View):
    """``202`` of ``POST /v1/identity/otp``: seconds the code stays valid."""

    expires_in: int


class BoundCitizen(View):
    """``POST /v1/identity/bind``."""

    citizen: MeView


class ItemList(View):
    """``GET /v1/items``."""

    items: list[ItemView]


class ApplicationList(View):
    """``GET /v1/applications``: own applications, newest first."""

    applications: list[ProgressView]


class RatingAnswer(View):
    """``201`` of ``POST /v1/applications/{no}/rating``."""

    rating: RatingView


class ComplaintFiled(View):
    """``201`` of ``POST /v1/complaints``."""

    complaint_no: str
    status: ComplaintStatus


class Subscriptions(View):
    """``GET /v1/subscriptions``: template ids per notice kind, and one-time consent credits held per
    template id."""

    templates: dict[str, str]
    credits: dict[str, int]


class Credits(View):
    """``POST /v1/subscriptions``: the credits held per template id after recording."""

    credits: dict[str, int]


class LicenceList(View):
    """``GET /v1/licences``: soonest expiry first."""

    licences: list[LicenceView]


class LicenceAnswer(View):
    """``PUT /backend/v1/licences/{licence_id}``."""

    licence: LicenceView


class ComplaintList(View):
    """``GET /backend/v1/complaints``."""

    complaints: list[OperatorComplaintView]


class RectificationList(View):
    """``GET /backend/v1/rectifications``."""

    rectifications: list[RectificationView]


class NoticeList(View):
    """``GET /backend/v1/notices``."""

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
    """``GET /backend/v1/reports/satisfaction`` (考核)."""

    period_from: date = Field(alias="from")
    to: date
    rows: list[ReportRow]
