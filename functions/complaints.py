"""Citizen complaints (``/v1/complaints``)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import citizen, parse, request, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/complaints", methods=["POST"])
def file() -> Response:
    """Register a complaint."""
    from shared.contract.commands import FileComplaint

    req = request(bp)
    who, person = citizen(req)
    return respond(services().complaints.file(who, person, parse(req, FileComplaint)), 201)


@route(bp, "/v1/complaints/{no}")
def show(no: str) -> Response:
    """One's own complaint with its timeline and reply."""
    _, person = citizen(request(bp))
    return respond(services().complaints.get_own(person, no))
