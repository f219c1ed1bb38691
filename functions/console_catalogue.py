"""运营台: the service catalogue, read only (``/console/catalogue``), for every signed-in staff member."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import Desk, desk
from functions.web import html

bp = Blueprint(__name__)


@desk(bp, "/console/catalogue")
def catalogue(d: Desk) -> Response:
    """Every item by tier, and the county's townships and villages."""
    from shared.pages.console_catalogue import catalogue_page

    approval = services().approval
    return html(catalogue_page(d.lang, d.who.role, approval.catalogue(), approval.areas()))
