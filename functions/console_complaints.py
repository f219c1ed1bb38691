"""运营台: one complaint (``/console/complaints/{no}``) and its next step — assign, reply, follow-up call,
close — within the signed-in person's reach; every step is audited and a reply reaches the citizen."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import Desk, desk
from functions.web import html
from shared.errors import Conflict, ValidationFailed

bp = Blueprint(__name__)


@desk(bp, "/console/complaints/{no}")
def complaint(d: Desk, no: str) -> Response:
    """The complaint, its timeline and the form of its next step."""
    from shared.pages.console import complaint_page

    s = services()
    found = s.console_work.complaint(d.who, no)
    return html(complaint_page(d.lang, d.csrf, found, s.clock.now().date(), admin=d.who.role == "county_admin"))


@desk(bp, "/console/complaints/{no}", methods=["POST"])
def complaint_step(d: Desk, no: str) -> Response:
    """Take the form's step; the page shows the outcome (a refused step: why, above the same form)."""
    from shared.pages.console import complaint_page

    s, admin = services(), d.who.role == "county_admin"
    try:
        done = s.console_work.move_complaint(d.who, no, d.fields, d.source)
    except (ValidationFailed, Conflict) as exc:
        current = s.console_work.complaint(d.who, no)
        return html(complaint_page(d.lang, d.csrf, current, s.clock.now().date(), error=exc.message, admin=admin),
                    exc.status)
    return html(complaint_page(d.lang, d.csrf, done, s.clock.now().date(), admin=admin))
