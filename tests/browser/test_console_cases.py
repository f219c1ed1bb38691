"""Rectification cases in Chromium, in Chinese: a bad rating of a service asked for in 城关镇 lands in that
township's queue; its staff verify it on the case page; a case of 河口乡 is refused with a 403 page; the system
keys page issues a key whose secret is shown once. axe-core finds nothing serious on any of these pages."""

from __future__ import annotations

from typing import Any

from functions.bootstrap import Services
from tests.browser.conftest import serious_violations, signed_in_page
from tests.helpers import Api

PASSWORD = "chengguan-2026-town"


def _case(api: Api, svc: Services, township: str, village: str) -> str:
    token = api.citizen()
    out = api.call("POST", "/v1/applications", {"item_code": "V-CW-001", "form": {"purpose": "子女入学"},
                                                "township": township, "village": village}, token,
                   {"Idempotency-Key": f"k-{village}"})
    assert out.status_code == 201, out.body
    no = out.json_body["application_no"]
    api.walk(no, "accepted", "in_review", "completed")
    assert api.call("POST", f"/v1/applications/{no}/rating", {"level": 1, "comment": "跑了三趟"},
                    token).status_code == 201
    return next(c.case_id for c in svc.rectifications.list_by_status("open") if c.application_no == no)



def test_a_township_works_its_own_case_and_cannot_open_another_townships(
        browser: Any, site: str, svc: Services, api: Api) -> None:
    ours = _case(api, svc, "城关镇", "东街社区")
    theirs = _case(api, svc, "河口乡", "柳树村")
    svc.staff.create("chengguan", "城关镇 王芳", "township_staff", PASSWORD, township="城关镇")
    page = signed_in_page(browser, site, "chengguan", PASSWORD, "zh-CN")
    queue = page.locator("main").inner_text()
    assert ours in queue and theirs not in queue
    page.get_by_role("link", name=ours).click()
    assert "城关镇 / 东街社区" in page.locator("dl").inner_text()
    assert serious_violations(page) == []
    page.get_by_label("说明").first.fill("经核实，窗口要求重复提交材料")
    page.get_by_role("button", name="确认属实").click()
    assert "已核实" in page.locator("dl").inner_text() and "经核实" in page.locator("ol").inner_text()
    assert page.goto(f"{site}/console/cases/{theirs}?lang=zh-CN").status == 403
    assert "没有权限" in page.locator("h1").inner_text()
    assert serious_violations(page) == []
    page.close()
    (entry,) = [e for e in svc.uow().audit.of_month(svc.clock.now().strftime("%Y-%m"), 50)[0]
                if e.action == "case.verified"]
    assert (entry.actor, entry.target, entry.before["status"], entry.after["status"]) == (
        "chengguan", ours, "open", "verified")


def test_the_administrator_issues_a_system_key_and_sees_its_secret_once(browser: Any, site: str,
                                                                        svc: Services) -> None:
    svc.staff.create("admin", "县级管理员", "county_admin", "city-centre-admin-2026")
    page = signed_in_page(browser, site, "admin", "city-centre-admin-2026", "zh-CN")
    page.get_by_role("link", name="系统密钥").click()
    assert serious_violations(page) == []
    page.get_by_label("用途").fill("县民政局 救助系统")
    page.get_by_label("办理差评整改").check()
    page.get_by_label("部门（留空为全县）").fill("乡镇人民政府民政办")
    page.get_by_role("button", name="签发").click()
    shown = page.get_by_role("status").inner_text()
    assert "只显示这一次" in shown and "mks_" in shown
    assert serious_violations(page) == []
    assert page.reload().status == 409, "sending the form again (a reload) issues no second key"
    assert "mks_" not in page.locator("main").inner_text(), "the secret is shown once"
    assert serious_violations(page) == []
    page.goto(f"{site}/console/keys?lang=zh-CN")
    assert "mks_" not in page.locator("main").inner_text()
    assert page.locator("table").inner_text().count("县民政局 救助系统") == 1
    page.close()


def test_the_supervision_board_shows_what_is_overdue_within_reach(browser: Any, site: str, svc: Services,
                                                                  api: Api) -> None:
    ours = _case(api, svc, "城关镇", "东街社区")
    theirs = _case(api, svc, "河口乡", "柳树村")
    token = api.citizen()
    complaint = api.call("POST", "/v1/complaints", {"content": "村里证明开具太慢"}, token).json_body["complaint_no"]
    svc.clock.advance(days=40)  # past every due date
    svc.supervision.run(svc.clock.now())
    svc.staff.create("chengguan", "城关镇 王芳", "township_staff", PASSWORD, township="城关镇")
    page = signed_in_page(browser, site, "chengguan", PASSWORD, "zh-CN")
    page.get_by_role("link", name="督办看板").click()
    items = page.get_by_role("region", name="逾期事项").inner_text()
    assert ours in items and theirs not in items and complaint not in items, "a township sees its own"
    row = page.get_by_role("region", name="逾期事项").locator("tr", has_text=ours).inner_text().split("\t")
    assert row[-1] == "是" and row[-2].endswith("天"), "supervised, and how long overdue"
    assert serious_violations(page) == []
    page.close()
    svc.staff.create("admin", "县级管理员", "county_admin", "city-centre-admin-2026")
    admin = signed_in_page(browser, site, "admin", "city-centre-admin-2026", "zh-CN")
    admin.goto(f"{site}/console/board?lang=en")
    listed = admin.get_by_role("region", name="Overdue items").inner_text()
    assert all(n in listed for n in (ours, theirs, complaint))
    summary = admin.get_by_role("region", name="By department and tier").inner_text()
    assert "乡镇人民政府民政办" in summary or "村(社区)委员会" in summary
    assert serious_violations(admin) == []
    admin.close()
