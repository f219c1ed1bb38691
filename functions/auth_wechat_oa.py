"""``POST /v1/auth/wechat-oa``: an official-account web OAuth code for a session token (H5 binding page)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.http import parse, request, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/auth/wechat-oa", methods=["POST"])
def login() -> Response:
    """Exchange the OAuth code; answers the token and whether the follower is bound."""
    from channels.wechat.login import OaWebOAuth
    from shared.contract.commands import ChannelLogin
    from shared.tokens import Principal

    cmd = parse(request(bp), ChannelLogin)
    s = services().settings
    who = OaWebOAuth(s.wechat_api_base, s.wechat_oa_appid, s.wechat_oa_secret).exchange(cmd.code)
    return respond(services().identity.issue_token(Principal("wechat_oa", who.openid, who.unionid)))
