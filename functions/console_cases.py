"""运营台: one rectification case (差评整改, ``/console/cases/{case_id}``) and its next step — verify, rectify,
follow-up call, or dismiss (核实不实) — within the signed-in person's reach (another township's: 403)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import Desk, desk
from functions.web import html
from shared.errors import Conflict, ValidationFailed

bp = Blueprint(__name__)


@desk(bp, "/console/cases/{case_id}")
def case(d: Desk, case_id: str) -> Response:
    """The case, the application and rating behind it, its timeline and the forms of its next steps."""
    from shared.pages.console_cases import case_page

    s = services()
    return html(case_page(d.lang, d.csrf, s.console_work.case(d.who, case_id), s.clock.now().date(), d.who.role))


@desk(bp, "/console/cases/{case_id}", methods=["POST"])
def case_step(d: Desk, case_id: str) -> Response:
    """Take the form's step; the page shows the outcome (a refused step: why, above the same forms)."""
    from shared.pages.console_cases import case_page

    s = services()
    try:
        done = s.console_work.move_case(d.who, case_id, d.fields, d.source)
    except (ValidationFailed, Conflict) as exc:
        current = s.console_work.case(d.who, case_id)
        return html(case_page(d.lang, d.csrf, current, s.clock.now().date(), d.who.role, error=exc.message),
                    exc.status)
    return html(case_page(d.lang, d.csrf, done, s.clock.now().date(), d.who.role))
