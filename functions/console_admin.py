"""运营台 for county administrators: staff accounts (``/console/staff``) and the audit log (``/console/audit``).
Other roles get a 403 page; nobody without a session gets past sign-in."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import FORM, page_language, signed_in
from functions.web import form, html, redirect, request, route, source_ip
from shared.errors import Forbidden, MinqingError, Unauthorized

bp = Blueprint(__name__)


@route(bp, "/console/staff")
def staff_accounts() -> Response:
    """Accounts a page at a time, and the form that creates one."""
    from shared.pages.console_admin import staff_page
    from shared.pages.layout import error_page

    req, staff, lang = request(bp), services().staff, page_language(request(bp))
    try:
        who, sid = signed_in(req)
        accounts, cursor = staff.accounts(who, after=(req.query_params or {}).get("after"))
    except Unauthorized:
        return redirect("login")
    except Forbidden as exc:
        return html(error_page(lang, 403, exc.message), 403)
    return html(staff_page(lang, staff.csrf_token(sid), accounts, cursor))


@route(bp, "/console/staff", methods=["POST"], content_types=FORM)
def create_account() -> Response:
    """Create an account from the form (its token must be the session's); the page answers with the outcome."""
    from shared.pages.console_admin import staff_page
    from shared.pages.layout import error_page

    req, staff, lang = request(bp), services().staff, page_language(request(bp))
    fields = form(req)
    try:
        who, sid = signed_in(req)
    except Unauthorized:
        return redirect("login")
    try:
        staff.check_csrf(sid, fields.get("csrf"))
        scope = {k: fields.get(k) or None for k in ("department", "township", "village")}
        made = staff.create(fields.get("username", ""), fields.get("name", ""), fields.get("role", ""),
                            fields.get("password", ""), by=who, source=source_ip(req), **scope)
    except Forbidden as exc:
        return html(error_page(lang, 403, exc.message), 403)
    except MinqingError as exc:
        detail = "; ".join(f"{d.get('field')}: {d.get('message')}" for d in exc.details) or exc.message
        accounts, cursor = staff.accounts(who)
        kept = {k: v for k, v in fields.items() if k not in ("password", "csrf")}
        return html(staff_page(lang, staff.csrf_token(sid), accounts, cursor, error=detail, values=kept), exc.status)
    accounts, cursor = staff.accounts(who)
    return html(staff_page(lang, staff.csrf_token(sid), accounts, cursor, created=made.username), 201)


@route(bp, "/console/audit")
def audit_log() -> Response:
    """One month of the audit log (this month unless ``month=YYYY-MM``), newest first."""
    import re

    from shared.pages.console_admin import audit_page
    from shared.pages.layout import error_page

    req, s, lang = request(bp), services(), page_language(request(bp))
    query = req.query_params or {}
    month = query.get("month") if re.fullmatch(r"\d{4}-\d{2}", query.get("month") or "") else \
        s.clock.now().strftime("%Y-%m")
    try:
        who, _ = signed_in(req)
        entries, cursor = s.staff.audit_log(who, month, before=query.get("before"))
    except Unauthorized:
        return redirect("login")
    except Forbidden as exc:
        return html(error_page(lang, 403, exc.message), 403)
    return html(audit_page(lang, month, entries, cursor))
