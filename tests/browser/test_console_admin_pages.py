"""The county administrator at work in Chromium: creates a township and a department account, finds both in
the list and in the audit log; the township account cannot open the administrator's pages; axe-core finds
nothing serious on either page."""

from __future__ import annotations

from typing import Any

from functions.bootstrap import Services
from tests.browser.conftest import LAPTOP, serious_violations

PASSWORD = "city-centre-admin-2026"


def _sign_in(page: Any, site: str, username: str, password: str) -> None:
    page.goto(f"{site}/console/login?lang=en")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/console/")


def _create(page: Any, **fields: str) -> None:
    for label, value in fields.items():
        if label == "Role":
            page.get_by_label("Role").select_option(value)
        else:
            page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Create").click()
    page.wait_for_load_state()


def test_the_administrator_creates_accounts_and_reads_the_audit_log(browser: Any, site: str, svc: Services) -> None:
    svc.staff.create("admin", "县级管理员", "county_admin", PASSWORD)
    page = browser.new_page(viewport=LAPTOP, locale="en")
    _sign_in(page, site, "admin", PASSWORD)
    page.get_by_role("link", name="Staff accounts").click()
    assert serious_violations(page) == []
    _create(page, Username="chengguan", Name="城关镇 王芳", Role="township_staff", Township="城关镇",
            **{"First password (12 characters or more)": "chengguan-2026-town"})
    assert page.get_by_role("status").inner_text() == "Account chengguan created."
    _create(page, Username="jiaoyu", Name="县教育局 李娜", Role="department_handler", Department="县教育局",
            **{"First password (12 characters or more)": "jiaoyu-2026-dept!"})
    table = page.locator("table").inner_text()
    assert "城关镇 王芳" in table and "Township staff" in table and "县教育局" in table
    page.get_by_role("link", name="Audit log").click()
    log = page.locator("table").inner_text()
    assert log.count("admin\tstaff.create") == 2 and "system\tstaff.create\tadmin" in log
    assert "staff.sign_in\tadmin\t127.0.0.1" in log
    assert serious_violations(page) == []
    page.get_by_label("Action").fill("staff.create")
    page.get_by_role("button", name="Show").click()
    filtered = page.locator("tbody").inner_text()
    assert filtered.count("staff.create") == 3 and "staff.sign_in" not in filtered
    assert "role: township_staff" in filtered, "what the change made"
    page.close()

    township = browser.new_page(viewport=LAPTOP, locale="en")
    _sign_in(township, site, "chengguan", "chengguan-2026-town")
    assert township.goto(f"{site}/console/staff").status == 403
    assert "only a county administrator" in township.get_by_role("alert").inner_text()
    assert township.goto(f"{site}/console/audit").status == 403
    assert serious_violations(township) == []
    township.close()
