"""WeChat official account server URL: ``GET /wechat/oa`` (verification), ``POST /wechat/oa`` (messages)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import raw_body, request, route

bp = Blueprint(__name__)
XML_TYPES = ["text/xml", "application/xml", "text/plain", "application/octet-stream", "application/json"]


def _query() -> dict[str, str]:
    return dict(request(bp).query_params or {})


@route(bp, "/wechat/oa", methods=["GET"])
def verify() -> Response:
    """Echo ``echostr`` for a request WeChat signed."""
    return Response(services().wechat_oa.verify_url(_query()), headers={"Content-Type": "text/plain"})


@route(bp, "/wechat/oa", methods=["POST"], content_types=XML_TYPES)
def receive() -> Response:
    """Answer a message or event with a passive reply."""
    answer = services().wechat_oa.handle(_query(), raw_body(request(bp)))
    kind = "text/plain" if answer == "success" else "application/xml"
    return Response(answer, headers={"Content-Type": f"{kind}; charset=utf-8"})
