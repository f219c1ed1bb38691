"""Backend API: complaints for operators (assign, reply, follow up, close)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, query, request, respond, route, signed
from shared.errors import InvalidTransition, NotFound
from shared.openapi import Link

bp = Blueprint(__name__)


@route(bp, "/backend/v1/complaints", auth="backend", query="ComplaintFilter", answer=(200, "ComplaintList"),
       scope="complaints:read",
       links=(Link("POST /backend/v1/complaints/{no}/events", "no", "complaints/0/complaint_no"),))
def list_complaints() -> Response:
    """Complaints, optionally in one status."""
    from shared.contract.answers import ComplaintList

    req = request(bp)
    by = signed(req)
    return respond(ComplaintList(complaints=services().complaints.list_by_status(query(req).status, by)))


@route(bp, "/backend/v1/complaints/{no}/events", methods=["POST"], auth="backend", body="RecordComplaintEvent",
       answer=(200, "OperatorComplaintView"), errors=(NotFound, InvalidTransition),
       scope="complaints:write")
def record_event(no: str) -> Response:
    """Move a complaint; ``replied`` sends the reply to the citizen."""
    req = request(bp)
    by = signed(req)
    return respond(services().complaints.record_event(no, parse(req), by))
