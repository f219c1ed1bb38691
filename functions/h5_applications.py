"""``/h5/applications``: the citizen's applications, one application's progress, rating a finished one
(and following the rectification a bad rating opened)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.h5 import Call, item_names, portal
from functions.web import html, redirect
from shared.errors import MinqingError, ValidationFailed

bp = Blueprint(__name__)


@portal(bp, "/h5/applications")
def mine(call: Call) -> Response:
    """Newest first."""
    from shared.pages.h5_my_pages import applications_page

    return html(applications_page(call.v, services().applications.list_own(call.citizen()),
                                  item_names(call.v.lang)))


def _page(call: Call, no: str, error: str = "", status: int = 200) -> Response:
    from shared.contract.vocabulary import STATUS_LABELS
    from shared.pages.h5_my_pages import application_page

    s = services()
    app = s.applications.get_own(call.citizen(), no.upper())
    case = s.rectifications.get(app.rating.case_id) if app.rating and app.rating.case_id else None
    view = s.applications.view(app, call.v.lang)
    name = item_names(call.v.lang).get(app.item_code, "")
    return html(application_page(call.v, view, STATUS_LABELS[call.v.lang], s.applications.ratable(app), case, error,
                                 name), status)


@portal(bp, "/h5/applications/{no}")
def progress(call: Call, no: str) -> Response:
    """Status, promised date, timeline; the rating form once finished; the follow-up of a bad rating."""
    return _page(call, no)


@portal(bp, "/h5/applications/{no}/rating", methods=["POST"], returns="/h5/applications/{no}")
def rate(call: Call, no: str) -> Response:
    """好差评: 1–5 and a comment; back to the application, which now shows it."""
    from shared.contract.commands import RateApplication
    from shared.pages.h5_layout import said

    assert call.principal is not None
    level = call.fields.get("level", "")
    try:
        typed = {"level": int(level) if level in ("1", "2", "3", "4", "5") else 0,
                 "comment": call.fields.get("comment", "").strip() or None}
        cmd = ValidationFailed.check(RateApplication, typed)
        services().applications.rate(call.citizen(), no.upper(), cmd, call.principal.channel)
    except MinqingError as exc:
        return _page(call, no, said(call.v, exc), exc.status)
    return redirect(f"../{no}")
