"""Citizen complaints (``/v1/complaints``)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import citizen, parse, request, respond, route
from shared.errors import NotFound
from shared.openapi import Link

bp = Blueprint(__name__)


@route(bp, "/v1/complaints", methods=["POST"], auth="citizen", body="FileComplaint", answer=(201, "ComplaintFiled"),
       links=(Link("GET /v1/complaints/{no}", "no", "complaint_no"),
              Link("POST /backend/v1/complaints/{no}/events", "no", "complaint_no")))
def file() -> Response:
    """Register a complaint."""

    req = request(bp)
    who, person = citizen(req)
    return respond(services().complaints.file(who, person, parse(req)), 201)


@route(bp, "/v1/complaints/{no}", auth="citizen", answer=(200, "ComplaintView"), errors=(NotFound,))
def show(no: str) -> Response:
    """One's own complaint with its timeline and reply."""
    _, person = citizen(request(bp))
    return respond(services().complaints.get_own(person, no))
