"""``GET /health``."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import respond, route

bp = Blueprint(__name__)


@route(bp, "/health", answer=(200, "Health"))
def health() -> Response:
    """The deployment is up and configured."""
    from shared.contract.answers import Health

    return respond(Health(status="ok", stage=services().settings.stage))
