"""Backend API: ``GET /backend/v1/reports/satisfaction?from=&to=`` (考核)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import query, request, respond, route, signed

bp = Blueprint(__name__)


@route(bp, "/backend/v1/reports/satisfaction", auth="backend", query="ReportPeriod",
       answer=(200, "SatisfactionReport"), scope="reports:read")
def satisfaction() -> Response:
    """Ratings, rectification and complaint figures per department and tier for a period."""
    req = request(bp)
    signed(req)
    period, s = query(req), services()
    return respond(s.reports.satisfaction(period.start, period.end, s.clock.now().date()))
