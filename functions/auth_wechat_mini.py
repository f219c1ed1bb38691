"""``POST /v1/auth/wechat-mini``: a mini-program login code for a Minqing session token."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.http import parse, request, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/auth/wechat-mini", methods=["POST"])
def login() -> Response:
    """Exchange the ``wx.login`` code; answers the token and whether the account is bound."""
    from channels.wechat.login import Code2Session
    from shared.contract.commands import ChannelLogin
    from shared.tokens import Principal

    cmd = parse(request(bp), ChannelLogin)
    s = services().settings
    who = Code2Session(s.wechat_api_base, s.wechat_mini_appid, s.wechat_mini_secret).exchange(cmd.code)
    return respond(services().identity.issue_token(Principal("wechat_mini", who.openid, who.unionid)))
