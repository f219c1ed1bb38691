"""``GET /v1/licences``: the citizen's licences with their expiry."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import citizen, request, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/licences", auth="citizen", answer=(200, "LicenceList"))
def licences() -> Response:
    """Masked licence numbers, soonest expiry first."""
    _, person = citizen(request(bp))
    from shared.contract.answers import LicenceList

    return respond(LicenceList(licences=services().licences.list_own(person)))
