"""运营台: the supervision board (督办, ``/console/board``): what is overdue within the signed-in person's reach."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import Desk, desk
from functions.web import html

bp = Blueprint(__name__)


@desk(bp, "/console/board")
def board(d: Desk) -> Response:
    """Overdue complaints and cases by department and tier, most overdue first."""
    from shared.pages.console_board import board_page

    s = services()
    return html(board_page(d.lang, d.who.role, s.console_work.board(d.who, s.clock.now().date())))
