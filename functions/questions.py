"""``GET /v1/answers?q=``: the catalogue items that answer a citizen's question (智能问答, no auth)."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.web import query, respond, route

bp = Blueprint(__name__)


@route(bp, "/v1/answers", query="Question", answer=(200, "AnswerList"))
def answers() -> Response:
    """Up to five items for a free-text question, best first, each with what to bring, where and how long."""
    return respond(services().answers.answer_list(query(bp.current_request).q))
