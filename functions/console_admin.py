"""运营台 for county administrators: staff accounts (``/console/staff``) and the audit log (``/console/audit``).
Other roles get a 403 page; nobody without a session gets past sign-in."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import Desk, desk
from functions.web import html
from shared.errors import Conflict, ValidationFailed

bp = Blueprint(__name__)


@desk(bp, "/console/staff")
def staff_accounts(d: Desk) -> Response:
    """Accounts a page at a time, and the form that creates one."""
    from shared.pages.console_admin import staff_page

    accounts, cursor = services().staff.accounts(d.who, after=(d.req.query_params or {}).get("after"))
    return html(staff_page(d.lang, d.csrf, accounts, cursor))


@desk(bp, "/console/staff", methods=["POST"])
def create_account(d: Desk) -> Response:
    """Create an account from the form; the page answers with the outcome (a refusal keeps all but the password)."""
    from shared.pages.console_admin import staff_page

    staff, f = services().staff, d.fields
    try:
        scope = {k: f.get(k) or None for k in ("department", "township", "village")}
        made = staff.create(f.get("username", ""), f.get("name", ""), f.get("role", ""), f.get("password", ""),
                            by=d.who, source=d.source, **scope)
    except (ValidationFailed, Conflict) as exc:
        from shared.pages.layout import refusal

        detail = refusal(exc)
        accounts, cursor = staff.accounts(d.who)
        kept = {k: v for k, v in f.items() if k != "password"}
        return html(staff_page(d.lang, d.csrf, accounts, cursor, error=detail, values=kept), exc.status)
    accounts, cursor = staff.accounts(d.who)
    return html(staff_page(d.lang, d.csrf, accounts, cursor, created=made.username), 201)


@desk(bp, "/console/audit")
def audit_log(d: Desk) -> Response:
    """One month of the audit log (this month unless ``month=YYYY-MM``), newest first; ``actor`` and ``action``
    (a prefix: ``key.``, ``complaint.``) narrow it."""
    import re

    from shared.pages.console_admin import audit_page

    s, query = services(), d.req.query_params or {}
    month = query.get("month") if re.fullmatch(r"\d{4}-\d{2}", query.get("month") or "") else \
        s.clock.now().strftime("%Y-%m")
    filters = {k: query.get(k, "")[:64] for k in ("actor", "action")}
    entries, cursor = s.staff.audit_log(d.who, month, before=query.get("before"), **filters)
    return html(audit_page(d.lang, month, entries, cursor, filters))
