"""Signing in to the H5 portal outside WeChat: a phone number, then the code sent to it by SMS.

The session is the phone's (``sms`` principal): its citizen is whoever bound with that phone.
"""

from __future__ import annotations

import secrets

from chalice import Blueprint, Response
from chalice.app import Request

from functions.bootstrap import services
from functions.h5 import FORM, PENDING, PRE, SESSION, in_wechat, lax_cookie, safe_here, visit
from functions.web import cookie, form, html, redirect, request, route, set_cookie, source_ip
from shared.errors import MinqingError, ValidationFailed

bp = Blueprint(__name__)


def _pre(req: Request) -> str:
    return cookie(req, PRE) or secrets.token_urlsafe(24)


def _step(req: Request, pre: str, *, refused: MinqingError | None = None, up: str = "") -> Response:
    """The sign-in page at the step the sealed pending state says (phone, or the code sent to it), saying why
    a try was refused in the page's language."""
    from shared.pages.h5_layout import said
    from shared.pages.h5_pages import sign_in_page

    s = services()
    state = s.portal.unseal(pre, cookie(req, PENDING)) or {}
    back = safe_here((req.query_params or {}).get("back") or state.get("back"))
    v = visit(req, up, "sign-in", s.portal.csrf(pre))
    error = "" if refused is None else \
        v.t["phone_invalid"] if isinstance(refused, ValidationFailed) else said(v, refused)
    page = sign_in_page(v, back, state.get("phone"), in_wechat(req), error)
    return html(page, refused.status if refused else 200, cookies=[set_cookie(PRE, pre, 1800)])


@route(bp, "/h5/sign-in")
def sign_in_form() -> Response:
    """Step one asks the number; after a code was sent, step two asks the code."""
    req = request(bp)
    return _step(req, _pre(req))


@route(bp, "/h5/sign-in/code", methods=["POST"], content_types=FORM)
def send_code() -> Response:
    """Send a code to the number typed (the provider's limits apply) and ask for it."""
    from shared.contract.commands import RequestOtp

    req, s = request(bp), services()
    pre, fields = _pre(req), form(req)
    try:
        s.portal.check_csrf(cookie(req, PRE), fields.get("csrf"))
        phone = ValidationFailed.check(RequestOtp, {"phone": fields.get("phone", "")}).phone
        s.identity.otp.request(phone, source=source_ip(req))
    except MinqingError as exc:
        return _step(req, pre, refused=exc, up="../")
    pending = s.portal.seal(pre, {"phone": phone, "back": safe_here(fields.get("back"))})
    return redirect("../sign-in", cookies=[set_cookie(PRE, pre, 1800), set_cookie(PENDING, pending, 600)])


@route(bp, "/h5/sign-in", methods=["POST"], content_types=FORM)
def sign_in() -> Response:
    """Check the code for the phone it was sent to; open the phone's session and go back."""
    from shared.sessions import Principal

    req, s = request(bp), services()
    pre, fields = _pre(req), form(req)
    state = s.portal.unseal(pre, cookie(req, PENDING)) or {}
    try:
        s.portal.check_csrf(cookie(req, PRE), fields.get("csrf"))
        if "phone" not in state:
            return redirect("sign-in", cookies=[set_cookie(PENDING, "", 0)])
        s.identity.otp.verify(state["phone"], fields.get("code", "").strip())
    except MinqingError as exc:
        return _step(req, pre, refused=exc)
    token = s.identity.issue_token(Principal("sms", state["phone"]))
    return redirect(state.get("back") or "./", cookies=[lax_cookie(SESSION, token.token, token.expires_in),
                                                        set_cookie(PENDING, "", 0), set_cookie(PRE, "", 0)])


@route(bp, "/h5/sign-in/restart")
def restart() -> Response:
    """Forget the number typed (a code sent to it stays valid for its five minutes) and ask again."""
    return redirect("../sign-in", cookies=[set_cookie(PENDING, "", 0)])
