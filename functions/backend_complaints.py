"""Backend API: complaints for operators (assign, reply, follow up, close)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, request, respond, route, signed
from shared.errors import ValidationFailed

bp = Blueprint(__name__)


@route(bp, "/backend/v1/complaints")
def list_complaints() -> Response:
    """Complaints, optionally in one status."""
    from shared.contract.vocabulary import ComplaintStatus

    req = request(bp)
    signed(req)
    status = (req.query_params or {}).get("status")
    if status is not None and status not in set(ComplaintStatus):
        raise ValidationFailed.field("status", "unknown status")
    return respond({"complaints": services().complaints.list_by_status(status)})


@route(bp, "/backend/v1/complaints/{no}/events", methods=["POST"])
def record_event(no: str) -> Response:
    """Move a complaint; ``replied`` sends the reply to the citizen."""
    from shared.contract.commands import RecordComplaintEvent

    req = request(bp)
    signed(req)
    return respond(services().complaints.record_event(no, parse(req, RecordComplaintEvent)))
