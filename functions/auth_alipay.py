"""``POST /v1/auth/alipay``: an Alipay auth code for a session token."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.http import parse, request, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/auth/alipay", methods=["POST"])
def login() -> Response:
    """Exchange ``auth_code``; the account is the open_id, or the user_id for apps not yet moved."""
    from channels.alipay.login import oauth_token
    from shared.contract.commands import AlipayLogin
    from shared.tokens import Principal

    cmd = parse(request(bp), AlipayLogin)
    who = oauth_token(services().alipay, cmd.auth_code)
    principal = Principal("alipay", who.account)
    identity = services().identity
    if who.open_id and who.user_id:
        identity.adopt(principal, Principal("alipay", who.user_id), user_id=who.user_id, open_id=who.open_id)
    return respond(identity.issue_token(principal))
