"""运营台: the notice log (``/console/notices``, county administrators): find notices by application, phone or
status, see every attempt, send a failed one again (audited)."""

from __future__ import annotations

from urllib.parse import quote

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import Desk, desk
from functions.web import html, redirect
from shared.errors import ValidationFailed

bp = Blueprint(__name__)


@desk(bp, "/console/notices")
def notice_log(d: Desk) -> Response:
    """Failed notices unless the form asks otherwise; ``notice_id`` shows one (after a retry)."""

    from shared.contract.queries import NoticeSearch
    from shared.pages.console_notices import notices_page

    work, params = services().console_work, dict(d.req.query_params or {})
    values = {k: v for k, v in params.items() if k in ("application_no", "phone", "status") and v}
    if params.get("notice_id"):
        shown = work.notice_log(d.who, None, params["notice_id"])
        return html(notices_page(d.lang, d.csrf, shown, {}, retried=shown[0]))
    try:
        search = ValidationFailed.check(NoticeSearch, values or {"status": "failed"}, "query",
                                        "the search is not valid")
    except ValidationFailed as refused:
        from shared.pages.layout import refusal

        return html(notices_page(d.lang, d.csrf, [], values, error=refusal(refused)), 422)
    return html(notices_page(d.lang, d.csrf, work.notice_log(d.who, search), values))


@desk(bp, "/console/notices/{notice_id}/retry", methods=["POST"])
def retry(d: Desk, notice_id: str) -> Response:
    """Send it again, then show it where it now stands (a reload shows, never resends)."""
    services().console_work.retry_notice(d.who, notice_id, d.source)
    return redirect(f"../../notices?notice_id={quote(notice_id)}&lang={d.lang}")
