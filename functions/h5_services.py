"""The H5 service guide: ``/h5/items`` (by tier and department), ``/h5/items/{code}``, ``/h5/ask`` and
``/h5/apply/{code}`` (the item's own form; the application then shows its progress)."""

from __future__ import annotations

import secrets

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.h5 import Call, portal
from functions.web import html, redirect
from shared.errors import MinqingError, NotFound, ValidationFailed

bp = Blueprint(__name__)


def _item(code: str):
    item = services().approval.item(code)
    if item is None:
        raise NotFound(f"no service item {code[:32]}")
    return item


@portal(bp, "/h5/items", signed_in=False)
def catalogue(call: Call) -> Response:
    """Every item, or one tier's (``?tier=county|township|village``), by department."""
    from shared.pages.h5_service_pages import TIERS, items_page

    tier = (call.req.query_params or {}).get("tier", "")
    return html(items_page(call.v, services().approval.catalogue(), tier if tier in TIERS else ""))


@portal(bp, "/h5/items/{code}", signed_in=False)
def guide(call: Call, code: str) -> Response:
    """One item's guide."""
    from shared.pages.h5_service_pages import item_page

    return html(item_page(call.v, _item(code)))


@portal(bp, "/h5/ask", signed_in=False)
def ask(call: Call) -> Response:
    """A question in the citizen's own words, answered from the catalogue (the same as GET /v1/answers)."""
    from shared.pages.h5_pages import ask_page

    q = ((call.req.query_params or {}).get("q") or "").strip()
    if len(q) > 200:
        return html(ask_page(call.v, q[:200], [], call.v.t["question_too_long"]), 422)
    return html(ask_page(call.v, q, services().answers.answer_list(q).answers if q else []))


@portal(bp, "/h5/apply/{code}")
def apply_form(call: Call, code: str) -> Response:
    """The item's form (a bound citizen only: binding is the way in)."""
    from shared.pages.h5_service_pages import apply_page

    call.citizen()
    return html(apply_page(call.v, _item(code), services().approval.areas(), secrets.token_urlsafe(16), {}))


@portal(bp, "/h5/apply/{code}", methods=["POST"])
def apply(call: Call, code: str) -> Response:
    """Submit once per form shown (its request id is the Idempotency-Key) and show the application."""
    from shared.contract.commands import SubmitApplication
    from shared.pages.h5_layout import said
    from shared.pages.h5_service_pages import apply_page

    s, f, item = services(), call.fields, _item(code)
    citizen = call.citizen()
    assert call.principal is not None
    town, _, village = (f.get("place") or "").partition(" / ")
    try:
        typed = {"item_code": code, "township": f.get("township") or town or None, "village": village or None,
                 "form": {k[5:]: v for k, v in f.items() if k.startswith("form.")}}
        cmd = ValidationFailed.check(SubmitApplication, typed)
        done = s.applications.submit(call.principal, citizen, cmd, f.get("request_id") or None)
    except MinqingError as exc:
        labels = {f"form.{x.name}": x.label for x in item.fields}
        page = apply_page(call.v, item, s.approval.areas(), f.get("request_id", ""), f, said(call.v, exc, labels))
        return html(page, exc.status)
    return redirect(f"../applications/{done.application_no}")
