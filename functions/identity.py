"""Citizen identity: OTP, binding, profile and preferences (``/v1/identity``, ``/v1/me``)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import citizen, parse, principal, request, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/identity/otp", methods=["POST"])
def request_otp() -> Response:
    """Send a 6-digit code by SMS (one per phone per 60 s)."""
    from shared.contract.commands import RequestOtp

    req = request(bp)
    who = principal(req)
    cmd = parse(req, RequestOtp)
    return respond({"expires_in": services().identity.otp.request(cmd.phone, who)}, 202)


@route(bp, "/v1/identity/bind", methods=["POST"])
def bind() -> Response:
    """Bind the caller's channel account to the citizen with this ID number."""
    from shared.contract.commands import BindIdentity

    req = request(bp)
    who = principal(req)
    return respond({"citizen": services().identity.bind(who, parse(req, BindIdentity))})


@route(bp, "/v1/me")
def me() -> Response:
    """The caller's masked profile."""
    who, _ = citizen(request(bp))
    return respond(services().identity.me(who))


@route(bp, "/v1/me/preferences", methods=["PUT"])
def preferences() -> Response:
    """Change notice channels, SMS opt-out or locale."""
    from shared.contract.commands import UpdatePreferences

    req = request(bp)
    who, _ = citizen(req)
    return respond(services().identity.update_preferences(who, parse(req, UpdatePreferences)))
