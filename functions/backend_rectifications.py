"""Backend API: 差评整改 cases for operators."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, query, request, respond, route, signed
from shared.errors import InvalidTransition, NotFound
from shared.openapi import Link

bp = Blueprint(__name__)


@route(bp, "/backend/v1/rectifications", auth="backend", query="RectificationFilter",
       answer=(200, "RectificationList"), scope="rectifications:read",
       links=(Link("POST /backend/v1/rectifications/{case_id}/events", "case_id", "rectifications/0/case_id"),))
def list_cases() -> Response:
    """Cases, optionally in one status."""
    from shared.contract.answers import RectificationList

    req = request(bp)
    by = signed(req)
    return respond(RectificationList(rectifications=services().rectifications.list_by_status(query(req).status,
                                                                                            by)))


@route(bp, "/backend/v1/rectifications/{case_id}/events", methods=["POST"], auth="backend",
       body="RecordRectificationEvent", answer=(200, "RectificationView"), errors=(NotFound, InvalidTransition),
       scope="rectifications:write")
def record_event(case_id: str) -> Response:
    """Move a case (409 on an invalid transition)."""
    req = request(bp)
    by = signed(req)
    return respond(services().rectifications.record_event(case_id, parse(req), by))
