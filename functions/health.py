"""``GET /health``."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import respond, route

bp = Blueprint(__name__)


@route(bp, "/health")
def health() -> Response:
    """The deployment is up and configured."""
    return respond({"status": "ok", "stage": services().settings.stage})
