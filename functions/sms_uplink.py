"""Aliyun's HTTP push of uplink SMS (上行短信): ``POST /sms/aliyun/uplink?token=…``."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import raw_body, request, respond, route

bp = Blueprint(__name__)
PUSH_TYPES = ["application/json", "text/plain", "application/octet-stream"]


@route(bp, "/sms/aliyun/uplink", methods=["POST"], content_types=PUSH_TYPES)
def receive() -> Response:
    """Publish each pushed message for the inbound consumer; answer as Aliyun expects."""
    req = request(bp)
    token = (req.query_params or {}).get("token", "")
    return respond(services().sms_uplink.receive(token, raw_body(req)))
