"""运营台: one complaint (``/console/complaints/{no}``) and its next step — assign, reply, follow-up call,
close — within the signed-in person's reach; every step is audited and a reply reaches the citizen."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import FORM, page_language, signed_in
from functions.web import form, html, redirect, request, route, source_ip
from shared.errors import Forbidden, MinqingError, NotFound, Unauthorized

bp = Blueprint(__name__)


@route(bp, "/console/complaints/{no}")
def complaint(no: str) -> Response:
    """The complaint, its timeline and the form of its next step."""
    from shared.pages.console import complaint_page
    from shared.pages.layout import error_page

    req, s = request(bp), services()
    lang = page_language(req)
    try:
        who, sid = signed_in(req)
        found = s.console_work.complaint(who, no)
    except Unauthorized:
        return redirect("../login")
    except (NotFound, Forbidden) as exc:
        return html(error_page(lang, exc.status, exc.message, "../"), exc.status)
    return html(complaint_page(lang, s.staff.csrf_token(sid), found, s.clock.now().date(),
                               admin=who.role == "county_admin"))


@route(bp, "/console/complaints/{no}", methods=["POST"], content_types=FORM)
def complaint_step(no: str) -> Response:
    """Take the form's step (its token must be the session's); the page shows the outcome."""
    from shared.pages.console import complaint_page
    from shared.pages.layout import error_page

    req, s = request(bp), services()
    lang, fields = page_language(req), form(req)
    try:
        who, sid = signed_in(req)
    except Unauthorized:
        return redirect("../login")
    try:
        s.staff.check_csrf(sid, fields.pop("csrf", None))
        done = s.console_work.move_complaint(who, no, fields, source_ip(req))
    except (NotFound, Forbidden) as exc:
        return html(error_page(lang, exc.status, exc.message, "../"), exc.status)
    except MinqingError as exc:
        current = s.console_work.complaint(who, no)
        return html(complaint_page(lang, s.staff.csrf_token(sid), current, s.clock.now().date(), error=exc.message,
                                   admin=who.role == "county_admin"), exc.status)
    return html(complaint_page(lang, s.staff.csrf_token(sid), done, s.clock.now().date(),
                               admin=who.role == "county_admin"))
