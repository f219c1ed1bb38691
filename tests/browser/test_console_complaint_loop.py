"""The complaint loop in Chromium: the administrator assigns a complaint to 县教育局; that department's handler
sees only its own complaints, replies, and the reply reaches the citizen through the notice pipeline; a
complaint of another department is refused (403 page), an unknown one is 404; every step is in the audit log."""

from __future__ import annotations

from typing import Any

from functions.bootstrap import Services
from tests.browser.conftest import serious_violations, signed_in_page
from tests.helpers import Api, FakeQueue, drain

PASSWORD = "city-centre-admin-2026"



def _file(api: Api, text: str) -> str:
    out = api.call("POST", "/v1/complaints", {"content": text}, api.citizen())
    assert out.status_code == 201
    return str(out.json_body["complaint_no"])


def test_a_department_replies_to_its_own_complaint_and_the_citizen_hears_it(
        browser: Any, site: str, svc: Services, api: Api, queue: FakeQueue) -> None:
    admin = svc.staff.create("admin", "县级管理员", "county_admin", PASSWORD)
    svc.staff.create("jiaoyu", "县教育局 李娜", "department_handler", "jiaoyu-2026-dept!", by=admin,
                     department="县教育局")
    ours, theirs = _file(api, "学校报名材料要求不清楚"), _file(api, "医保报销太慢")
    svc.console_work.move_complaint(admin, theirs, {"status": "assigned", "department": "县医疗保障局"}, "")

    page = signed_in_page(browser, site, "admin", PASSWORD)
    page.get_by_role("link", name=ours).click()
    page.get_by_label("Department").fill("县教育局")
    page.get_by_role("button", name="Assign").click()
    assert "县教育局" in page.locator("dl").inner_text()
    assert serious_violations(page) == []
    page.close()

    handler = signed_in_page(browser, site, "jiaoyu", "jiaoyu-2026-dept!")
    queue_text = handler.locator("main").inner_text()
    assert ours in queue_text and theirs not in queue_text, "a department sees only its own complaints"
    handler.get_by_role("link", name=ours).click()
    handler.get_by_label("Reply").fill("报名材料清单已在学校公众号公布，请查看。")
    handler.get_by_role("button", name="Reply to the citizen").click()
    assert "Replied" in handler.locator("dl").inner_text()
    assert serious_violations(handler) == []
    assert handler.goto(f"{site}/console/complaints/{theirs}").status == 403
    assert handler.goto(f"{site}/console/complaints/TS00000000000000").status == 404
    assert serious_violations(handler) == []
    handler.get_by_role("link", name="Back to the queue").click()
    assert handler.url == f"{site}/console/"
    handler.close()

    drain(svc, queue)
    assert any("报名材料清单已在学校公众号公布" in m["text"] for m in api.sms.sent), "the reply reached the citizen"
    log, _ = svc.staff.audit_log(admin, svc.clock.now().strftime("%Y-%m"))
    assert [(e.actor, e.action, e.target) for e in log if e.action.startswith("complaint.")][:2] == [
        ("jiaoyu", "complaint.replied", ours), ("admin", "complaint.assigned", ours)]
