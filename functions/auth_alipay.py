"""``POST /v1/auth/alipay``: an Alipay auth code for a session token."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, request, respond, route
from shared.errors import Unauthorized

bp = Blueprint(__name__)


@route(bp, "/v1/auth/alipay", methods=["POST"], body="AlipayLogin", answer=(200, "TokenView"), errors=(Unauthorized,))
def login() -> Response:
    """Exchange ``auth_code``; the account is the open_id, or the user_id for apps not yet moved."""

    cmd = parse(request(bp))
    return respond(services().identity.login("alipay", cmd.auth_code))
