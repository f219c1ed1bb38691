"""Backend API for the approval system: application events (their notices: ``backend_notices``)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, request, respond, route, signed

bp = Blueprint(__name__)


@route(bp, "/backend/v1/applications/{no}/events", methods=["POST"])
def record_event(no: str) -> Response:
    """Move an application (409 on an invalid transition)."""
    from shared.contract.commands import RecordApplicationEvent

    req = request(bp)
    signed(req)
    return respond(services().applications.record_event(no, parse(req, RecordApplicationEvent)))
