"""Backend API for operators: every message Minqing sent or owes, with its attempts; retry a failed one."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import query, request, respond, route, signed
from shared.errors import Conflict, NotFound
from shared.openapi import Link

bp = Blueprint(__name__)

@route(bp, "/backend/v1/notices", auth="backend", query="NoticeSearch", answer=(200, "NoticeList"),
       scope="notices:read",
       links=(Link("POST /backend/v1/notices/{notice_id}/retry", "notice_id", "notices/0/notice_id"),))
def notices() -> Response:
    """Notices by ``application_no``, by recipient (``phone`` or ``to``: replies, staff SMS) or by
    ``status`` (pending/failed), optionally of one ``kind``."""
    from shared.contract.answers import NoticeList

    req = request(bp)
    signed(req)
    q = query(req)
    return respond(NoticeList(notices=services().notices.find(application_no=q.application_no, to=q.recipient,
                                                              status=q.status, kind=q.kind)))


@route(bp, "/backend/v1/notices/{notice_id}/retry", methods=["POST"], auth="backend", answer=(200, "NoticeView"),
       errors=(NotFound, Conflict), scope="notices:write")
def retry(notice_id: str) -> Response:
    """Put a failed notice back to pending and try it again (409 unless failed)."""
    by = signed(request(bp))
    return respond(services().notices.retry(notice_id, by))
