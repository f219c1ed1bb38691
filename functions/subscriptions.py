"""Subscribe-message consents (``/v1/subscriptions``) for the caller's channel account."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, principal, request, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/subscriptions", auth="account", answer=(200, "Subscriptions"))
def show() -> Response:
    """Template ids per notice kind and the credits held."""
    who = principal(request(bp))
    subs = services().subscriptions
    from shared.contract.answers import Subscriptions

    return respond(Subscriptions(templates=subs.templates_for(who.channel), credits=subs.credits(who)))


@route(bp, "/v1/subscriptions", methods=["POST"], auth="account", body="RecordConsents", answer=(200, "Credits"))
def record() -> Response:
    """Record the one-time consents just given."""

    req = request(bp)
    who = principal(req)
    from shared.contract.answers import Credits

    return respond(Credits(credits=services().subscriptions.record(who, parse(req))))
