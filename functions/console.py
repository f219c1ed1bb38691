"""运营台 (``/console/``): staff sign in and work their queue. Pages only; the data comes from the services.

No page without a session (a request without one is sent to sign in); every form carries the session's
CSRF token — the sign-in form a token bound to a short-lived pre-session cookie.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chalice import Blueprint, Response
from chalice.app import Request

from functions.bootstrap import services
from functions.web import asked_path, cookie, form, form_values, html, redirect, request, route, set_cookie, source_ip
from shared.errors import BadRequest, MinqingError, Unauthorized

if TYPE_CHECKING:
    from shared.contract.staff import StaffAccount

bp = Blueprint(__name__)
SESSION, PRE = "minqing_console", "minqing_console_login"
FORM = ["application/x-www-form-urlencoded"]
MAX_PARAM = 200


def page_language(req: Request) -> str:
    """``?lang=`` or the browser's language."""
    from shared.api_docs_page import choose_language

    return choose_language((req.query_params or {}).get("lang"), req.headers.get("accept-language"))


def signed_in(req: Request) -> tuple[StaffAccount, str]:
    """The account of the request's session and the session id (401 without a live one)."""
    sid = cookie(req, SESSION) or ""
    return services().staff.signed_in(sid), sid


def _short_params(req: Request) -> None:
    """400 for a query parameter no console page sends (cursors and filters are short; a long one would only
    make a key condition DynamoDB refuses)."""
    if any(len(v) > MAX_PARAM for v in (req.query_params or {}).values()):
        raise BadRequest(f"a query parameter over {MAX_PARAM} characters")


@dataclass
class Desk:
    """A signed-in person's request: who, the page language, their session's CSRF token, the form posted."""

    req: Request
    who: StaffAccount
    lang: str
    csrf: str
    up: str                                  # climbs back to ``/console/`` from this page
    fields: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)   # every value of each field (checkboxes)

    @property
    def source(self) -> str:
        """Where the request came from, for the audit log."""
        return source_ip(self.req)


def desk(bp: Blueprint, path: str, methods: list[str] | None = None) -> Callable[..., Callable[..., Response]]:
    """Register a console page, once for all of them: without a session → sign in; a posted form's CSRF token
    checked before the view runs; any refusal (403, 404, 409, 422…) answered as a page with a way back."""
    up = "../" * (path.count("/") - 2)

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(view)
        def page_view(**params: str) -> Response:
            from shared.pages.layout import error_page

            req = request(bp)
            lang, staff = page_language(req), services().staff
            try:
                who, sid = signed_in(req)
            except Unauthorized:
                return redirect(up + "login")
            try:
                _short_params(req)
                lists = form_values(req) if req.method == "POST" else {}
                fields = {k: v[0] for k, v in lists.items() if k != "csrf"}
                if req.method == "POST":
                    staff.check_csrf(sid, (lists.get("csrf") or [None])[0])
                return view(Desk(req, who, lang, staff.csrf_token(sid), up, fields, lists), **params)
            except MinqingError as exc:
                return html(error_page(lang, exc.status, exc.message, up), exc.status, headers=exc.headers())
        return route(bp, path, methods=methods, **({"content_types": FORM} if methods == ["POST"] else {}))(page_view)
    return decorate


@route(bp, "/console")
def home() -> Response:
    """The work queue of whoever is signed in (else: sign in)."""
    from shared.pages.console import queue_page

    req, s = request(bp), services()
    if not asked_path(req).endswith("/"):
        return redirect("console/")  # relative links of the console resolve under /console/
    try:
        who, sid = signed_in(req)
    except Unauthorized:
        return redirect("login")
    params = req.query_params or {}
    try:
        _short_params(req)
    except BadRequest as exc:
        from shared.pages.layout import error_page

        return html(error_page(page_language(req), 400, exc.message), 400)
    work = s.console_work.queue(who, params.get("complaints_after"), params.get("cases_after"))
    return html(queue_page(page_language(req), who, s.staff.csrf_token(sid), work, s.clock.now().date()))


@route(bp, "/console/login")
def sign_in_form() -> Response:
    """The sign-in form, with a fresh pre-session token against login CSRF."""
    from shared.pages.console import sign_in_page

    pre = secrets.token_urlsafe(32)
    page = sign_in_page(page_language(request(bp)), services().staff.csrf_token(pre))
    return html(page, cookies=[set_cookie(PRE, pre, 1800)])


@route(bp, "/console/login", methods=["POST"], content_types=FORM)
def sign_in() -> Response:
    """Check the form's token, the username and password; open a session and go to the queue."""
    from shared.pages.console import sign_in_page

    req, staff = request(bp), services().staff
    fields = form(req)
    pre = cookie(req, PRE)
    try:
        staff.check_csrf(pre, fields.get("csrf"))
        sid, session = staff.sign_in(fields.get("username", ""), fields.get("password", ""), source_ip(req),
                                     fields.get("code", ""))
    except MinqingError as exc:
        fresh = secrets.token_urlsafe(32)
        page = sign_in_page(page_language(req), staff.csrf_token(fresh), error=exc.message,
                            username=fields.get("username", ""))
        return html(page, exc.status, cookies=[set_cookie(PRE, fresh, 1800)], headers=exc.headers())
    age = int((session.expires_at - session.created_at).total_seconds())
    return redirect("./", cookies=[set_cookie(SESSION, sid, age), set_cookie(PRE, "", 0)])


@desk(bp, "/console/logout", methods=["POST"])
def sign_out(d: Desk) -> Response:
    """End the session (the form's token must be the session's) and return to sign in."""
    services().staff.sign_out(d.who, cookie(d.req, SESSION) or "", d.source)
    return redirect("login", cookies=[set_cookie(SESSION, "", 0)])
