"""The report's CSV: the figures as the backend report has them, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io

from shared.contract.answers import SatisfactionReport
from shared.pages.report_csv import report_csv


def _report(department: str) -> SatisfactionReport:
    return SatisfactionReport.model_validate({"from": "2026-09-01", "to": "2026-09-30", "rows": [{
        "department": department, "tier": "township", "ratings": {"1": 1, "2": 0, "3": 0, "4": 2, "5": 3},
        "rating_total": 6, "satisfaction_rate": 0.8333, "bad_ratings": 1, "rectification_rate": None,
        "rectification_on_time_rate": None, "complaints_counted": 0, "complaint_on_time_reply_rate": None}]})


def test_each_period_and_row_is_a_line_with_the_reports_figures() -> None:
    text = report_csv("2026-09..2026-09", _report("乡镇人民政府民政办"), [("2026-09", _report("乡镇人民政府民政办"))])
    assert text.startswith("\ufeffperiod,department,tier,ratings_5")
    lines = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(x["period"], x["ratings_5"], x["satisfaction_rate"], x["rectification_rate"]) for x in lines] == [
        ("2026-09..2026-09", "3", "0.8333", ""), ("2026-09", "3", "0.8333", "")]


def test_a_department_name_that_looks_like_a_formula_is_written_as_text() -> None:
    text = report_csv("p", _report("=HYPERLINK(\"http://x\")"), [])
    assert "'=HYPERLINK" in text
