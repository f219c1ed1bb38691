"""The operations report in Chromium: its charts and table carry exactly the figures
``GET /backend/v1/reports/satisfaction`` answers for the same months; the CSV has them too; axe-core finds nothing
serious, in Chinese or English."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

from functions.bootstrap import Services
from tests.browser.conftest import serious_violations, signed_in_page
from tests.helpers import Api

PASSWORD = "city-centre-admin-2026"
ITEMS = {"V-CW-001": {"purpose": "入学"}, "C-GA-001": {"reason": "有效期满"}}


def _rated(api: Api, levels: list[tuple[str, int]]) -> None:
    token = api.citizen()
    for i, (item, level) in enumerate(levels):
        out = api.call("POST", "/v1/applications", {"item_code": item, "form": ITEMS[item]}, token,
                       {"Idempotency-Key": f"r-{i}"})
        no = out.json_body["application_no"]
        api.walk(no, "accepted", "in_review", "completed")
        assert api.call("POST", f"/v1/applications/{no}/rating", {"level": level}, token).status_code == 201


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def test_the_report_shows_the_figures_of_the_backend_report(browser: Any, site: str, svc: Services,
                                                            api: Api) -> None:
    _rated(api, [("V-CW-001", 5), ("V-CW-001", 4), ("V-CW-001", 1), ("C-GA-001", 3), ("C-GA-001", 2)])
    svc.staff.create("admin", "县级管理员", "county_admin", PASSWORD)
    today = svc.clock.now().date()
    month = f"{today:%Y-%m}"
    page = signed_in_page(browser, site, "admin", PASSWORD)
    page.get_by_role("link", name="Operations report").click()
    page.get_by_label("From month").fill(month)
    page.get_by_label("To month").fill(month)
    page.get_by_role("button", name="Show").click()
    last_day = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    backend = api.backend("GET", f"/backend/v1/reports/satisfaction?from={month}-01&to={last_day}").json_body
    rows = [r for r in backend["rows"] if r["rating_total"]]
    assert len(rows) == 2
    levels = page.get_by_role("img", name=f"Ratings by level ({month} – {month})")
    shown = levels.locator("text.value").all_text_contents()
    assert shown == [str(sum(r["ratings"][lv] for r in backend["rows"])) for lv in "54321"]
    by_department = page.get_by_role("img", name="Satisfaction by department").locator("text.value")
    assert by_department.all_text_contents() == [_percent(r["satisfaction_rate"]) for r in rows]
    table = page.get_by_role("region", name=f"Assessment summary ({month} – {month})")
    for r in rows:
        line = table.locator("tr", has_text=r["department"]).inner_text().split("\t")
        assert line[2:8] == [*(str(r["ratings"][lv]) for lv in "54321"), str(r["rating_total"])]
        assert line[8] == _percent(r["satisfaction_rate"]) and line[9] == str(r["bad_ratings"])
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = [line for line in csv.DictReader(io.StringIO(text)) if line["period"] == f"{month}..{month}"]
    assert {(line["department"], int(line["rating_total"])) for line in lines if int(line["rating_total"])} == {
        (r["department"], r["rating_total"]) for r in rows}
    page.get_by_role("link", name="中文").click()
    assert page.get_by_role("heading", level=1).inner_text() == "运营报告"
    assert serious_violations(page) == []
    page.close()
