"""The console in Chromium as staff use it: sign in with the keyboard, read the queue, sign out; axe-core
finds nothing serious on the sign-in page or the queue, in Chinese or English, on a laptop or a tablet."""

from __future__ import annotations

from typing import Any

import pytest

from functions.bootstrap import Services
from tests.browser.conftest import LAPTOP, serious_violations, signed_in_page
from tests.helpers import Api

PASSWORD = "city-centre-admin-2026"
TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def staffed(svc: Services, api: Api) -> Services:
    svc.staff.create("admin", "县级管理员", "county_admin", PASSWORD)
    assert api.call("POST", "/v1/complaints", {"content": "窗口排队太久"}, api.citizen()).status_code == 201
    return svc


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET], ids=["laptop", "tablet"])
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_staff_sign_in_read_the_queue_and_sign_out(browser: Any, site: str, staffed: Services, lang: str,
                                                    viewport: dict[str, int]) -> None:
    page = browser.new_page(viewport=viewport, locale=lang)
    page.goto(f"{site}/console/")
    assert page.url.endswith("/console/login"), "no page without a session"
    assert serious_violations(page) == []
    page.get_by_label("用户名" if lang == "zh-CN" else "Username").fill("admin")
    page.get_by_label("密码" if lang == "zh-CN" else "Password").fill("wrong-password-here")
    page.keyboard.press("Enter")
    assert page.get_by_role("alert").inner_text() == "wrong username, password or one-time code"
    page.get_by_label("密码" if lang == "zh-CN" else "Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/console/")
    assert page.get_by_role("heading", level=1).inner_text() == ("我的待办" if lang == "zh-CN" else "My work queue")
    assert "窗口排队太久" in page.locator("main").inner_text()
    assert serious_violations(page) == []
    page.get_by_role("button", name="退出登录" if lang == "zh-CN" else "Sign out").click()
    page.wait_for_url(f"{site}/console/login")
    page.goto(f"{site}/console/")
    assert page.url.endswith("/console/login"), "signed out means signed out"
    page.close()


def test_the_catalogue_page_lists_every_item_by_tier_and_the_areas(browser: Any, site: str, svc: Services) -> None:
    svc.staff.create("village", "东街社区 赵敏", "village_staff", "dongjie-2026-village", township="城关镇",
                     village="东街社区")
    page = signed_in_page(browser, site, "village", "dongjie-2026-village", "zh-CN", TABLET)
    page.get_by_role("link", name="服务事项").click()
    for item in svc.approval.catalogue():
        assert item.name in page.get_by_role("region", name={"county": "县级事项", "township": "乡镇事项",
                                                             "village": "村（社区）事项"}[item.tier.value]).inner_text()
    assert "东街社区" in page.get_by_role("region", name="乡镇与村（社区）").inner_text()
    assert page.get_by_role("link", name="通知记录").count() == 0, "administrator pages are not offered"
    assert serious_violations(page) == []
    page.close()


def test_a_staff_member_turns_on_two_step_sign_in_and_then_needs_a_code(browser: Any, site: str,
                                                                        svc: Services) -> None:
    from shared.totp import code_at

    svc.staff.create("hekou", "河口乡 陈静", "township_staff", "hekou-2026-township", township="河口乡")
    page = browser.new_page(viewport=TABLET, locale="en")

    def sign_in(code: str = "") -> None:
        page.goto(f"{site}/console/login?lang=en")
        page.get_by_label("Username").fill("hekou")
        page.get_by_label("Password").fill("hekou-2026-township")
        page.get_by_label("One-time code (if two-step sign-in is on)").fill(code)
        page.get_by_role("button", name="Sign in").click()

    sign_in()
    page.get_by_role("link", name="Two-step sign-in").click()
    assert serious_violations(page) == []
    secret = page.locator("pre").inner_text().replace(" ", "")
    step = int(svc.clock.now().timestamp()) // 30
    page.get_by_label("One-time code").fill(code_at(secret, step))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    assert page.get_by_role("status").inner_text() == "Two-step sign-in is on."
    page.context.clear_cookies()
    svc.clock.advance(seconds=30)
    sign_in()
    assert "one-time code" in page.get_by_role("alert").inner_text()
    assert serious_violations(page) == []
    sign_in(code_at(secret, step + 1))
    page.wait_for_url(f"{site}/console/")
    page.close()
