"""运营台: two-step sign-in for one's own account (``/console/two-step``): on with a code from the app, off with
a current code; both audited."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import Desk, desk
from functions.web import html
from shared.errors import ValidationFailed

bp = Blueprint(__name__)


@desk(bp, "/console/two-step")
def two_step(d: Desk) -> Response:
    """Whether it is on; if not, a fresh key to add to an authenticator app."""
    from shared.pages.console_two_step import two_step_page

    staff = services().staff
    offer = None if d.who.totp else staff.two_step_offer(d.who)
    return html(two_step_page(d.lang, d.csrf, d.who.role, bool(d.who.totp), offer))


@desk(bp, "/console/two-step", methods=["POST"])
def change(d: Desk) -> Response:
    """Turn it on (the key and a code from the app) or off (a current code)."""
    from shared.pages.console_two_step import two_step_page

    staff, on = services().staff, d.fields.get("turn") == "on"
    try:
        if on:
            staff.two_step_on(d.who, d.fields.get("offer", ""), d.fields.get("code", ""), d.source)
        else:
            staff.two_step_off(d.who, d.fields.get("code", ""), d.source)
    except ValidationFailed as exc:
        offer = staff.two_step_offer(d.who) if on else None  # a fresh key: the refused one is not shown again
        return html(two_step_page(d.lang, d.csrf, d.who.role, not on, offer, error=exc.details[0]["message"]), 422)
    return html(two_step_page(d.lang, d.csrf, d.who.role, on, None if on else staff.two_step_offer(d.who),
                              done="done_on" if on else "done_off"))
