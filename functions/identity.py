"""Citizen identity: OTP, binding, profile and preferences (``/v1/identity``, ``/v1/me``)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import citizen, parse, principal, request, respond, route
from shared.errors import Conflict, Forbidden, OtpInvalid, RateLimited

bp = Blueprint(__name__)


@route(bp, "/v1/identity/otp", methods=["POST"], auth="account", body="RequestOtp", answer=(202, "OtpSent"),
       errors=(RateLimited,))
def request_otp() -> Response:
    """Send a 6-digit code by SMS (one per phone per 60 s)."""

    req = request(bp)
    who = principal(req)
    cmd = parse(req)
    from shared.contract.answers import OtpSent

    return respond(OtpSent(expires_in=services().identity.otp.request(cmd.phone, who)), 202)


@route(bp, "/v1/identity/bind", methods=["POST"], auth="account", body="BindIdentity", answer=(200, "BoundCitizen"),
       errors=(OtpInvalid, Forbidden, Conflict, RateLimited))
def bind() -> Response:
    """Bind the caller's channel account to the citizen with this ID number."""

    req = request(bp)
    who = principal(req)
    from shared.contract.answers import BoundCitizen

    return respond(BoundCitizen(citizen=services().identity.bind(who, parse(req))))


@route(bp, "/v1/me", auth="citizen", answer=(200, "MeView"))
def me() -> Response:
    """The caller's masked profile."""
    who, _ = citizen(request(bp))
    return respond(services().identity.me(who))


@route(bp, "/v1/me/preferences", methods=["PUT"], auth="citizen", body="UpdatePreferences", answer=(200, "MeView"))
def preferences() -> Response:
    """Change notice channels, SMS opt-out or locale."""

    req = request(bp)
    who, _ = citizen(req)
    return respond(services().identity.update_preferences(who, parse(req)))
