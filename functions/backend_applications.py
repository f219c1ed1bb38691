"""Backend API for the approval system: application events (their notices: ``backend_notices``)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, request, respond, route, signed
from shared.errors import InvalidTransition, NotFound

bp = Blueprint(__name__)


@route(bp, "/backend/v1/applications/{no}/events", methods=["POST"], auth="backend", body="RecordApplicationEvent",
       answer=(200, "ProgressView"), errors=(NotFound, InvalidTransition), scope="applications:write")
def record_event(no: str) -> Response:
    """Move an application (409 on an invalid transition)."""

    req = request(bp)
    by = signed(req)
    return respond(services().applications.record_event(no, parse(req), by))
