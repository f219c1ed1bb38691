"""The notice log in Chromium: a completion notice that failed (SMS down) is found among the failed ones with its
attempts, sent again from the page, and delivered; the phone is masked; axe-core finds nothing serious."""

from __future__ import annotations

from typing import Any

from functions.bootstrap import Services
from tests.browser.conftest import serious_violations, signed_in_page
from tests.helpers import Api, FakeQueue, drain

PASSWORD = "city-centre-admin-2026"


def test_a_failed_notice_is_sent_again_from_the_notice_log(browser: Any, site: str, svc: Services, api: Api,
                                                          queue: FakeQueue) -> None:
    no = api.submit(api.citizen()).json_body["application_no"]
    api.walk(no, "accepted", "in_review", "completed")
    api.sms.fail = True  # no consent credit on the mini-program, then SMS down: the completion notice fails
    drain(svc, queue)
    api.sms.fail = False
    svc.staff.create("admin", "县级管理员", "county_admin", PASSWORD)

    page = signed_in_page(browser, site, "admin", PASSWORD)
    page.get_by_role("link", name="Notice log").click()
    table = page.locator("table").inner_text()
    assert no in table and "completion" in table and "failed" in table
    assert serious_violations(page) == []
    page.get_by_role("button", name="Send again").click()
    assert "is being sent again; it is now pending" in page.get_by_role("status").inner_text()
    sent_before = len(api.sms.sent)
    drain(svc, queue)
    assert len(api.sms.sent) == sent_before + 1
    page.reload()  # a GET: shows the notice, never sends it again
    assert "delivered" in page.locator("table").inner_text() and len(api.sms.sent) == sent_before + 1
    page.get_by_label("Phone").fill("13800138000")
    page.get_by_label("Status").select_option("")
    page.get_by_role("button", name="Search").click()
    assert "13800138000" not in page.locator("main").inner_text(), "phones are masked, the search box too"
    assert serious_violations(page) == []
    page.close()
    (entry,) = [e for e in svc.uow().audit.of_month(svc.clock.now().strftime("%Y-%m"), 50)[0]
                if e.action == "notice.retry"]
    assert (entry.actor, entry.before["status"], entry.after["status"]) == ("admin", "failed", "pending")
