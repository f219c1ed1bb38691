"""考核: the satisfaction report a county sends upward, per department and tier, for a period.

- ratings: count per level; satisfaction rate = levels 3-5 (基本满意 and better) / all ratings;
- bad ratings (level ≤ 2): rectification rate = cases rectified or followed up / cases not
  dismissed (核实不实 drops out); on-time rate = of those, rectified by their due date;
- complaints registered in the period: on-time reply rate = replied by the due date / complaints
  replied or already past due.
Rates are fractions rounded to 4 places, ``null`` when nothing counts yet.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any, NamedTuple

from shared.contract.answers import SatisfactionReport
from shared.contract.records import Complaint, RectificationCase, TimelineEntry
from shared.storage.ports import UnitOfWorkFactory

DONE = {"rectified", "followed_up"}


def _months(start: date, end: date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_end(first: date) -> date:
    """The last day of the month ``first`` is in."""
    return date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)


def satisfaction_rate(ratings: dict[str, int]) -> float | None:
    """Levels 3-5 (基本满意 and better) over all ratings, by level ``'1'``…``'5'``."""
    return _rate(sum(ratings[str(level)] for level in (3, 4, 5)), sum(ratings.values()))


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _reached(timeline: list[TimelineEntry], statuses: set[str]) -> str | None:
    """The date a timeline first reached one of ``statuses``."""
    return next((e.at.date().isoformat() for e in timeline if e.status in statuses), None)


class ReportService:
    """Builds the assessment report from the rating log, cases and complaints: each month's partition read once."""

    def __init__(self, uow: UnitOfWorkFactory):
        self.uow = uow

    def satisfaction(self, start: date, end: date, today: date) -> SatisfactionReport:
        """The report for ``start``…``end`` (inclusive, China dates)."""
        return _report(start, end, today, self._read(start, end))

    def overview(self, start: date, end: date, today: date) -> tuple[SatisfactionReport,
                                                                    list[tuple[str, SatisfactionReport]]]:
        """The report for the period and one per month of it (``YYYY-MM``), from one read of each month."""
        data = self._read(start, end)
        monthly = []
        for month in _months(start, end):
            first = date.fromisoformat(f"{month}-01")
            monthly.append((month, _report(max(start, first), min(end, month_end(first)), today, data)))
        return _report(start, end, today, data), monthly

    def _read(self, start: date, end: date) -> _Data:
        reads = self.uow()
        ratings = [r for m in _months(start, end) for r in reads.rating_log.of_month(m)]
        cases = reads.cases.many([r["case_id"] for r in ratings if r.get("case_id")])
        complaints = [c for m in _months(start, end) for c in reads.complaints.registered_in(m)]
        return _Data(ratings, cases, complaints)


class _Data(NamedTuple):
    ratings: list[dict[str, Any]]
    cases: dict[str, RectificationCase]
    complaints: list[Complaint]


def _report(start: date, end: date, today: date, data: _Data) -> SatisfactionReport:
    rows: dict[tuple[str, str], dict[str, Any]] = defaultdict(_row)
    first, last = start.isoformat(), end.isoformat()
    for r in (r for r in data.ratings if first <= r["rated_at"][:10] <= last):
        row = rows[(r["department"], r["tier"])]
        row["ratings"][str(r["level"])] += 1
        case = data.cases.get(r.get("case_id") or "")
        if case and case.status != "dismissed":
            row["_bad"] += 1
            done_on = _reached(case.timeline, DONE)
            if done_on:
                row["_rectified"] += 1
                row["_rectified_on_time"] += done_on <= case.due.isoformat()
    for c in data.complaints:
        registered = c.timeline[0].at.date().isoformat()
        if not first <= registered <= last:
            continue
        replied_on = _reached(c.timeline, {"replied"})
        if replied_on or c.due < today:
            row = rows[(c.department or "未转办", "county")]
            row["_complaints_due"] += 1
            row["_replied_on_time"] += bool(replied_on and replied_on <= c.due.isoformat())
    return SatisfactionReport.model_validate({"from": first, "to": last, "rows": [
        _finish(d, t, row) for (d, t), row in sorted(rows.items())]})


def _row() -> dict[str, Any]:
    return {"ratings": {str(level): 0 for level in range(1, 6)}, "_bad": 0, "_rectified": 0, "_rectified_on_time": 0,
            "_complaints_due": 0, "_replied_on_time": 0}


def _finish(department: str, tier: str, row: dict[str, Any]) -> dict[str, Any]:
    return {"department": department, "tier": tier, "ratings": row["ratings"],
            "rating_total": sum(row["ratings"].values()),
            "satisfaction_rate": satisfaction_rate(row["ratings"]),
            "bad_ratings": row["_bad"], "rectification_rate": _rate(row["_rectified"], row["_bad"]),
            "rectification_on_time_rate": _rate(row["_rectified_on_time"], row["_rectified"]),
            "complaints_counted": row["_complaints_due"],
            "complaint_on_time_reply_rate": _rate(row["_replied_on_time"], row["_complaints_due"])}
