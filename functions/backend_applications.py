"""Backend API for the approval system: application events and their notices."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.http import parse, request, respond, route, signed
from shared.errors import ValidationFailed

bp = Blueprint(__name__)


@route(bp, "/backend/v1/applications/{no}/events", methods=["POST"])
def record_event(no: str) -> Response:
    """Move an application (409 on an invalid transition)."""
    from shared.contract.commands import RecordApplicationEvent

    req = request(bp)
    signed(req)
    return respond(services().applications.record_event(no, parse(req, RecordApplicationEvent)))


@route(bp, "/backend/v1/notices")
def notices() -> Response:
    """Notices of one application with every delivery attempt."""
    req = request(bp)
    signed(req)
    no = (req.query_params or {}).get("application_no")
    if not no:
        raise ValidationFailed.field("application_no", "required query parameter")
    return respond({"notices": services().notices.for_application(no)})
