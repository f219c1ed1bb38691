"""Backend API: ``GET /backend/v1/reports/satisfaction?from=&to=`` (考核)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import request, respond, route, signed

bp = Blueprint(__name__)


@route(bp, "/backend/v1/reports/satisfaction")
def satisfaction() -> Response:
    """Ratings, rectification and complaint figures per department and tier for a period."""
    from shared.errors import ValidationFailed
    from shared.services.reports import parse_period

    req = request(bp)
    signed(req)
    query = req.query_params or {}
    try:
        start, end = parse_period(query.get("from"), query.get("to"))
    except ValueError as exc:
        raise ValidationFailed("bad period", [{"field": "from", "message": str(exc)}]) from None
    s = services()
    return respond(s.reports.satisfaction(start, end, s.clock.now().date()))
