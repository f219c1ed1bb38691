"""``/h5/complaints``: file a complaint (optionally about an application) and follow it by its number."""

from __future__ import annotations

from urllib.parse import quote

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.h5 import Call, portal
from functions.web import html, redirect
from shared.errors import MinqingError, ValidationFailed

bp = Blueprint(__name__)


@portal(bp, "/h5/complaints")
def complaint_form(call: Call) -> Response:
    """The form, and a box to follow one by number."""
    from shared.pages.h5_my_pages import complaints_page

    return html(complaints_page(call.v, services().complaints.list_own(call.citizen())))


@portal(bp, "/h5/complaints", methods=["POST"])
def file(call: Call) -> Response:
    """Register it; show it."""
    from shared.contract.commands import FileComplaint
    from shared.pages.h5_layout import said
    from shared.pages.h5_my_pages import complaints_page

    assert call.principal is not None
    try:
        typed = {"content": call.fields.get("content", ""),
                 "application_no": call.fields.get("application_no", "").strip().upper() or None}
        cmd = ValidationFailed.check(FileComplaint, typed)
        filed = services().complaints.file(call.principal, call.citizen(), cmd)
    except MinqingError as exc:
        return html(complaints_page(call.v, [], said(call.v, exc)), exc.status)
    return redirect(f"complaints/{filed.complaint_no}")


@portal(bp, "/h5/complaints/find")
def find(call: Call) -> Response:
    """The number typed → its page."""
    no = ((call.req.query_params or {}).get("no") or "").strip().upper()[:64]
    return redirect(quote(no, safe="") if no else "../complaints")


@portal(bp, "/h5/complaints/{no}")
def complaint(call: Call, no: str) -> Response:
    """Its steps and the reply (the citizen's own only)."""
    from shared.pages.h5_my_pages import complaint_page

    return html(complaint_page(call.v, services().complaints.get_own(call.citizen(), no.upper())))
