"""Every H5 page in Chromium at a phone's size, in both languages and in accessible mode: axe-core finds
nothing serious or critical, the keyboard reaches the content first, and the first page is small."""

from __future__ import annotations

import gzip
import urllib.request
from datetime import date
from typing import Any

import pytest

from functions.bootstrap import Services
from shared.contract.commands import UpsertLicence
from tests.browser.conftest import PHONE, serious_violations
from tests.helpers import VALID_ID, FakeSms

PAGES = ("", "sign-in", "items", "items?tier=township", "items/C-GA-004", "ask?q=%E9%A9%BE%E7%85%A7%E5%88%B0%E6%9C%9F",
         "bind", "apply/T-MZ-001", "applications", "complaints", "me", "licences", "applications/SB0")


def _signed_in(browser: Any, site: str, sms: FakeSms, lang: str, accessible: bool) -> Any:
    """A phone signed in through the sign-in form and bound through the bind form."""
    context = browser.new_context(viewport=PHONE, locale=lang)
    page = context.new_page()
    if accessible:
        page.goto(f"{site}/h5/access?on=1&back=")
    page.goto(f"{site}/h5/sign-in")
    page.get_by_label("手机号" if lang == "zh-CN" else "Mobile number").fill("13800138000")
    page.get_by_role("button", name="获取验证码" if lang == "zh-CN" else "Send me a code").click()
    page.get_by_label("短信验证码" if lang == "zh-CN" else "Code from the SMS").fill(sms.last_code("+8613800138000"))
    page.get_by_role("button", name="登录" if lang == "zh-CN" else "Sign in").click()
    page.get_by_role("link", name="去实名绑定" if lang == "zh-CN" else "Verify my identity").click()
    page.get_by_label("真实姓名" if lang == "zh-CN" else "Full name (as on your ID card)").fill("张三")
    page.get_by_label("身份证号" if lang == "zh-CN" else "ID card number").fill(VALID_ID)
    page.get_by_role("button", name="绑定" if lang == "zh-CN" else "Verify").click()
    return page


@pytest.mark.parametrize(("lang", "accessible"), [("zh-CN", False), ("en", False), ("zh-CN", True)],
                         ids=["chinese", "english", "accessible"])
def test_every_page_is_clean_for_axe_at_a_phones_size(site: str, svc: Services, sms: FakeSms, browser: Any,
                                                      lang: str, accessible: bool) -> None:
    svc.licences.upsert("L1", UpsertLicence(id_number=VALID_ID, kind="id_card", number=VALID_ID,
                                            expires_on=date(2026, 10, 20)))
    page = _signed_in(browser, site, sms, lang, accessible)
    for path in PAGES:
        page.goto(f"{site}/h5/{path}")
        assert page.locator("html").get_attribute("lang") == lang, path
        assert ("a11y" in (page.locator("html").get_attribute("class") or "")) == accessible
        assert serious_violations(page) == [], path
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # the first stop skips to the content


def test_the_first_page_fits_a_3g_budget(site: str) -> None:
    request = urllib.request.Request(f"{site}/h5/", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        raw = resp.read()
    body = raw if not raw.startswith(b"\x1f\x8b") else gzip.decompress(raw)
    assert b"<script" not in body and b"http" not in body.replace(b"http-equiv", b"")  # nothing fetched elsewhere
    assert len(gzip.compress(body)) <= 50 * 1024
