"""Citizen applications (``/v1/applications``): submit, list, progress, withdraw, rate."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import citizen, parse, request, respond, route
from shared.errors import AlreadyRated, IdempotencyConflict, InvalidTransition, NotFound, NotRatable
from shared.openapi import Link

IDEMPOTENCY_KEY = ("Idempotency-Key", "one per application the citizen means to submit (a retry reuses it)")

bp = Blueprint(__name__)


@route(bp, "/v1/applications", methods=["POST"], auth="citizen", body="SubmitApplication",
       answer=(201, "SubmittedView"), errors=(IdempotencyConflict,), headers=(IDEMPOTENCY_KEY,),
       links=tuple(Link(target, "no", "application_no") for target in (
           "GET /v1/applications/{no}", "POST /v1/applications/{no}/withdraw", "POST /v1/applications/{no}/rating",
           "POST /backend/v1/applications/{no}/events")))
def submit() -> Response:
    """Apply once per Idempotency-Key."""

    req = request(bp)
    who, person = citizen(req)
    view = services().applications.submit(who, person, parse(req),
                                          req.headers.get("idempotency-key"))
    return respond(view, 201)


@route(bp, "/v1/applications", auth="citizen", answer=(200, "ApplicationList"))
def list_own() -> Response:
    """The caller's applications, newest first."""
    _, person = citizen(request(bp))
    from shared.contract.answers import ApplicationList

    return respond(ApplicationList(applications=services().applications.list_own(person)))


@route(bp, "/v1/applications/{no}", auth="citizen", answer=(200, "ProgressView"), errors=(NotFound,))
def progress(no: str) -> Response:
    """One application's progress and timeline."""
    _, person = citizen(request(bp))
    apps = services().applications
    return respond(apps.view(apps.get_own(person, no), person.preferences.locale))


@route(bp, "/v1/applications/{no}/withdraw", methods=["POST"], auth="citizen", answer=(200, "ProgressView"),
       errors=(NotFound, InvalidTransition))
def withdraw(no: str) -> Response:
    """Withdraw before the application is final."""
    _, person = citizen(request(bp))
    return respond(services().applications.withdraw(person, no))


@route(bp, "/v1/applications/{no}/rating", methods=["POST"], auth="citizen", body="RateApplication",
       answer=(201, "RatingAnswer"), errors=(NotFound, AlreadyRated, NotRatable))
def rate(no: str) -> Response:
    """Rate a finished application once."""

    req = request(bp)
    who, person = citizen(req)
    rating = services().applications.rate(person, no, parse(req), who.channel)
    from shared.contract.answers import RatingAnswer

    return respond(RatingAnswer(rating=rating), 201)
