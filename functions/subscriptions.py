"""Subscribe-message consents (``/v1/subscriptions``) for the caller's channel account."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, principal, request, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/subscriptions")
def show() -> Response:
    """Template ids per notice kind and the credits held."""
    who = principal(request(bp))
    subs = services().subscriptions
    return respond({"templates": subs.templates_for(who.channel), "credits": subs.credits(who)})


@route(bp, "/v1/subscriptions", methods=["POST"])
def record() -> Response:
    """Record the one-time consents just given."""
    from shared.contract.commands import RecordConsents

    req = request(bp)
    who = principal(req)
    return respond({"credits": services().subscriptions.record(who, parse(req, RecordConsents))})
