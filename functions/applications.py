"""Citizen applications (``/v1/applications``): submit, list, progress, withdraw, rate."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import citizen, parse, request, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/applications", methods=["POST"])
def submit() -> Response:
    """Apply once per Idempotency-Key."""
    from shared.contract.commands import SubmitApplication

    req = request(bp)
    who, person = citizen(req)
    view = services().applications.submit(who, person, parse(req, SubmitApplication),
                                          req.headers.get("idempotency-key"))
    return respond(view, 201)


@route(bp, "/v1/applications")
def list_own() -> Response:
    """The caller's applications, newest first."""
    _, person = citizen(request(bp))
    return respond({"applications": services().applications.list_own(person)})


@route(bp, "/v1/applications/{no}")
def progress(no: str) -> Response:
    """One application's progress and timeline."""
    _, person = citizen(request(bp))
    apps = services().applications
    return respond(apps.view(apps.get_own(person, no), person.preferences.locale))


@route(bp, "/v1/applications/{no}/withdraw", methods=["POST"])
def withdraw(no: str) -> Response:
    """Withdraw before the application is final."""
    _, person = citizen(request(bp))
    return respond(services().applications.withdraw(person, no))


@route(bp, "/v1/applications/{no}/rating", methods=["POST"])
def rate(no: str) -> Response:
    """Rate a finished application once."""
    from shared.contract.commands import RateApplication

    req = request(bp)
    who, person = citizen(req)
    rating = services().applications.rate(person, no, parse(req, RateApplication), who.channel)
    return respond({"rating": rating}, 201)
