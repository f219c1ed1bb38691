"""WeChat logins: ``POST /v1/auth/wechat-mini`` (wx.login code) and ``POST /v1/auth/wechat-oa``
(official-account web OAuth code, used by the H5 binding page), each for a session token."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import parse, request, respond, route
from shared.errors import Unauthorized

bp = Blueprint(__name__)


def _login(channel: str) -> Response:

    cmd = parse(request(bp))
    return respond(services().identity.login(channel, cmd.code))


@route(bp, "/v1/auth/wechat-mini", methods=["POST"], body="ChannelLogin", answer=(200, "TokenView"),
       errors=(Unauthorized,))
def mini_login() -> Response:
    """Exchange the ``wx.login`` code; answers the token and whether the account is bound."""
    return _login("wechat_mini")


@route(bp, "/v1/auth/wechat-oa", methods=["POST"], body="ChannelLogin", answer=(200, "TokenView"),
       errors=(Unauthorized,))
def oa_login() -> Response:
    """Exchange the OAuth code; answers the token and whether the follower is bound."""
    return _login("wechat_oa")
