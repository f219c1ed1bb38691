"""``/h5/bind``: a follower (or a phone) binds to the citizen with an ID number — name, ID number, phone,
then the code sent to that phone. What was typed is sealed in a cookie between the two steps, never
written back into a page."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.h5 import PENDING, Call, portal, safe_here
from functions.web import cookie, html, redirect, set_cookie
from shared.errors import MinqingError, NotBound, ValidationFailed

bp = Blueprint(__name__)


def _page(call: Call, error: str = "", status: int = 200) -> Response:
    """The bind page at its step: who is bound, the code step (a bind pending), or the form."""
    from shared.pages.h5_pages import bind_page
    from shared.personal_data import mask_phone

    s = services()
    assert call.principal is not None
    try:
        call.citizen()
        return html(bind_page(call.v, with_phone=False, pending_phone=None, me=s.identity.me(call.principal)))
    except NotBound:
        pass
    pending = s.portal.unseal(call.session, cookie(call.req, PENDING))
    back = safe_here((call.req.query_params or {}).get("back") or call.fields.get("back"))
    return html(bind_page(call.v, with_phone=call.principal.channel != "sms", back=back,
                          pending_phone=mask_phone(pending["phone"]) if pending else None, error=error), status)


def _refused(call: Call, exc: MinqingError) -> Response:
    """The bind page again, saying why in the page's language."""
    from shared.pages.h5_layout import said

    return _page(call, said(call.v, exc, context="bind"), exc.status)


@portal(bp, "/h5/bind")
def bind_form(call: Call) -> Response:
    """The form, the code step, or who this account is bound to."""
    return _page(call)


@portal(bp, "/h5/bind/start", methods=["POST"], returns="/h5/bind")
def start(call: Call) -> Response:
    """Check name, ID number and phone; send the code (a phone session binds at once: its phone is proven)."""
    from shared.contract.commands import BindIdentity, BindSignedInPhone

    s, f = services(), call.fields
    assert call.principal is not None
    typed = {"name": f.get("name", ""), "id_number": f.get("id_number", "")}
    try:
        back = safe_here(f.get("back"))
        if call.principal.channel == "sms":
            s.identity.bind_signed_in_phone(call.principal, ValidationFailed.check(BindSignedInPhone, typed))
            return redirect(f"../{back}" if back else "../bind")
        cmd = ValidationFailed.check(BindIdentity, {**typed, "phone": f.get("phone", ""), "otp": "000000"})
        s.identity.otp.request(cmd.phone, call.principal)
    except MinqingError as exc:
        return _refused(call, exc)
    sealed = s.portal.seal(call.session, {"name": cmd.name, "id_number": cmd.id_number, "phone": cmd.phone,
                                          "back": back})
    return redirect("../bind", cookies=[set_cookie(PENDING, sealed, 600)])


@portal(bp, "/h5/bind", methods=["POST"])
def finish(call: Call) -> Response:
    """The code for the phone: bind, forget what was typed, show who is bound."""
    from shared.contract.commands import BindIdentity

    s = services()
    assert call.principal is not None
    pending = s.portal.unseal(call.session, cookie(call.req, PENDING))
    if pending is None:
        return redirect("bind")
    try:
        back = pending.pop("back", "")
        cmd = ValidationFailed.check(BindIdentity, {**pending, "otp": call.fields.get("code", "").strip()})
        s.identity.bind(call.principal, cmd)
    except MinqingError as exc:
        return _refused(call, exc)
    return redirect(safe_here(back) or "bind", cookies=[set_cookie(PENDING, "", 0)])


@portal(bp, "/h5/bind/restart", methods=["POST"], returns="/h5/bind")
def restart(call: Call) -> Response:
    """Start the form again."""
    return redirect("../bind", cookies=[set_cookie(PENDING, "", 0)])
