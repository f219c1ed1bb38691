"""Backend API: 差评整改 cases for operators."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, request, respond, route, signed
from shared.errors import ValidationFailed

bp = Blueprint(__name__)


@route(bp, "/backend/v1/rectifications")
def list_cases() -> Response:
    """Cases, optionally in one status."""
    from shared.contract.vocabulary import RectStatus

    req = request(bp)
    signed(req)
    status = (req.query_params or {}).get("status")
    if status is not None and status not in set(RectStatus):
        raise ValidationFailed.field("status", "unknown status")
    return respond({"rectifications": services().rectifications.list_by_status(status)})


@route(bp, "/backend/v1/rectifications/{case_id}/events", methods=["POST"])
def record_event(case_id: str) -> Response:
    """Move a case (409 on an invalid transition)."""
    from shared.contract.commands import RecordRectificationEvent

    req = request(bp)
    signed(req)
    return respond(services().rectifications.record_event(case_id, parse(req, RecordRectificationEvent)))
