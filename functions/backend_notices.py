"""Backend API for operators: every message Minqing sent or owes, with its attempts; retry a failed one."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import request, respond, route, signed
from shared.errors import ValidationFailed

bp = Blueprint(__name__)
STATUSES = ("pending", "failed")


@route(bp, "/backend/v1/notices")
def notices() -> Response:
    """Notices by ``application_no``, by recipient (``phone`` or ``to``: replies, staff SMS) or by
    ``status`` (pending/failed), optionally of one ``kind``."""
    from shared.personal_data import normalize_phone

    req = request(bp)
    signed(req)
    q = req.query_params or {}
    status, phone = q.get("status"), q.get("phone")
    if status is not None and status not in (*STATUSES, "delivered"):
        raise ValidationFailed.field("status", "pending, failed or delivered")
    to = normalize_phone(phone) if phone else q.get("to")
    if phone and to is None:
        raise ValidationFailed.field("phone", "a mainland mobile number")
    if not (q.get("application_no") or to or status in STATUSES):
        raise ValidationFailed.field("application_no", "give application_no, phone, to, or status=pending|failed")
    return respond({"notices": services().notices.find(application_no=q.get("application_no"), to=to,
                                                       status=status, kind=q.get("kind"))})


@route(bp, "/backend/v1/notices/{notice_id}/retry", methods=["POST"])
def retry(notice_id: str) -> Response:
    """Put a failed notice back to pending and try it again (409 unless failed)."""
    signed(request(bp))
    return respond(services().notices.retry(notice_id))
