"""``POST /v1/auth/alipay``: an Alipay auth code for a session token."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, request, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/auth/alipay", methods=["POST"])
def login() -> Response:
    """Exchange ``auth_code``; the account is the open_id, or the user_id for apps not yet moved."""
    from shared.contract.commands import AlipayLogin

    cmd = parse(request(bp), AlipayLogin)
    return respond(services().identity.login("alipay", cmd.auth_code))
