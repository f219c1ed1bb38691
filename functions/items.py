"""``GET /v1/items``: the service catalogue (no auth)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/items", answer=(200, "ItemList"))
def items() -> Response:
    """Every item citizens can apply for, with its form fields, and the county's townships and villages."""
    from shared.contract.answers import Area, ItemList
    from shared.contract.views import ItemView

    approval = services().approval
    return respond(ItemList(items=[ItemView.model_validate(i.model_dump()) for i in approval.catalogue()],
                            areas=[Area(township=t, villages=v) for t, v in approval.areas().items()]))
