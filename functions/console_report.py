"""运营台: the operations report (``/console/report``) and its CSV (``/console/report.csv``) for a span of months
(the last six by default, at most twelve): the figures of ``GET /backend/v1/reports/satisfaction``."""

from __future__ import annotations

from datetime import date

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import Desk, desk
from functions.web import html
from shared.errors import ValidationFailed

bp = Blueprint(__name__)


def _period(query: dict[str, str], today: date) -> tuple[str, str, date, date]:
    """The months asked for (default: the six up to this one) and the dates they span (422 when not months,
    reversed, or more than twelve)."""
    import re

    from shared.services.reports import month_end

    back = date(today.year - (today.month <= 5), (today.month - 6) % 12 + 1, 1)
    first, last = query.get("from") or f"{back:%Y-%m}", query.get("to") or f"{today:%Y-%m}"
    if not all(re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", m) for m in (first, last)):
        raise ValidationFailed.field("from", "months as YYYY-MM")
    start, end_month = date.fromisoformat(f"{first}-01"), date.fromisoformat(f"{last}-01")
    span = (end_month.year - start.year) * 12 + end_month.month - start.month
    if not 0 <= span < 12:
        raise ValidationFailed.field("to", "from one to twelve months, not before the first")
    return first, last, start, month_end(end_month)


@desk(bp, "/console/report")
def report(d: Desk) -> Response:
    """Charts, the summary table and the months of the period."""
    from shared.pages.console_report import report_page

    s = services()
    today = s.clock.now().date()
    try:
        first, last, start, end = _period(dict(d.req.query_params or {}), today)
    except ValidationFailed as exc:
        return html(report_page(d.lang, (f"{today:%Y-%m}", f"{today:%Y-%m}"), None, [], error=exc.details[0][
            "message"]), 422)
    total, monthly = s.reports.overview(start, end, today)
    return html(report_page(d.lang, (first, last), total, monthly))


@desk(bp, "/console/report.csv")
def report_csv(d: Desk) -> Response:
    """The same figures as CSV (UTF-8 with a BOM, for spreadsheet programs): the period, then each month."""
    from shared.pages.report_csv import report_csv as render

    s = services()
    today = s.clock.now().date()
    first, last, start, end = _period(dict(d.req.query_params or {}), today)
    total, monthly = s.reports.overview(start, end, today)
    return Response(render(f"{first}..{last}", total, monthly), status_code=200, headers={
        "Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
        "Content-Disposition": f'attachment; filename="minqing-report-{first}-{last}.csv"'})
