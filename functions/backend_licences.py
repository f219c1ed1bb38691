"""Backend API: ``PUT /backend/v1/licences/{licence_id}`` (upsert)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, request, respond, route, signed

bp = Blueprint(__name__)


@route(bp, "/backend/v1/licences/{licence_id}", methods=["PUT"], auth="backend", body="UpsertLicence",
       answer=(200, "LicenceAnswer"), scope="licences:write")
def upsert(licence_id: str) -> Response:
    """Create or replace a licence; a new expiry re-arms its reminders."""

    from shared.contract.answers import LicenceAnswer

    req = request(bp)
    by = signed(req)
    return respond(LicenceAnswer(licence=services().licences.upsert(licence_id, parse(req), by)))
