"""The operations report as CSV: one line per period (the whole span, then each month), department and tier;
cells that a spreadsheet would run as a formula are quoted as text (OWASP, CSV injection)."""

from __future__ import annotations

import csv
import io
from typing import Any

HEADER = ["period", "department", "tier", "ratings_5", "ratings_4", "ratings_3", "ratings_2", "ratings_1",
          "rating_total", "satisfaction_rate", "bad_ratings", "rectification_rate", "rectification_on_time_rate",
          "complaints_counted", "complaint_on_time_reply_rate"]


def report_csv(span: str, total: Any, monthly: list[tuple[str, Any]]) -> str:
    """The whole span's rows, then each month's, as ``GET /backend/v1/reports/satisfaction`` has them."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for period, report in [(span, total), *monthly]:
        for r in report.rows:
            writer.writerow([period, _safe(r.department), r.tier.value, *(r.ratings[lv] for lv in "54321"),
                             r.rating_total, _rate(r.satisfaction_rate), r.bad_ratings, _rate(r.rectification_rate),
                             _rate(r.rectification_on_time_rate), r.complaints_counted,
                             _rate(r.complaint_on_time_reply_rate)])
    return out.getvalue()


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _safe(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
