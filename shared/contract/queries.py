"""Queries: the query strings of the list routes, validated like bodies (a bad value is a 422)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.contract.vocabulary import ComplaintStatus, RectStatus
from shared.personal_data import normalize_phone


class Query(BaseModel):
    """Base of query models: values are strings as sent; unknown names are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class ComplaintFilter(Query):
    """``GET /backend/v1/complaints``: optionally only one status."""

    status: ComplaintStatus | None = None


class RectificationFilter(Query):
    """``GET /backend/v1/rectifications``: optionally only one status."""

    status: RectStatus | None = None


class NoticeSearch(Query):
    """``GET /backend/v1/notices``: by application, by recipient (``phone``, or ``to`` an openid) or by
    open status; ``kind`` narrows any of them."""

    application_no: str | None = Field(None, min_length=1, max_length=64)
    phone: str | None = Field(None, description="a mainland mobile; finds replies and staff SMS")
    to: str | None = Field(None, min_length=1, max_length=128, description="a channel account (openid)")
    status: Literal["pending", "failed", "delivered"] | None = Field(None, examples=["failed"])
    kind: str | None = Field(None, min_length=1, max_length=64)

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str | None) -> str | None:
        if v is None:
            return v
        phone = normalize_phone(v)
        if phone is None:
            raise ValueError("a mainland mobile number")
        return phone

    @model_validator(mode="after")
    def _one_key(self) -> NoticeSearch:
        if not (self.application_no or self.phone or self.to or self.status in ("pending", "failed")):
            raise ValueError("give application_no, phone, to, or status=pending|failed")
        return self

    @property
    def recipient(self) -> str | None:
        """The address to look up: the phone (normalised) or ``to``."""
        return self.phone or self.to


class ReportPeriod(Query):
    """``GET /backend/v1/reports/satisfaction``: China dates, inclusive, at most a year apart."""

    start: date = Field(alias="from")
    end: date = Field(alias="to")

    @model_validator(mode="after")
    def _period(self) -> ReportPeriod:
        if self.start > self.end or (self.end - self.start).days > 366:
            raise ValueError("from must not be after to, and the period at most a year")
        return self


class Question(Query):
    """``GET /v1/answers``: a citizen's question in their own words (surrounding spaces ignored)."""

    q: str = Field(min_length=1, max_length=200, examples=["孩子刚出生怎么上户口"],
                   description="free text, 1-200 characters")

    @field_validator("q", mode="before")
    @classmethod
    def _stripped(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value
