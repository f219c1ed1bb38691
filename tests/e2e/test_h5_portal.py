"""The citizen's H5 pages on a running stack, in Chromium at a phone's size: an OA follower taps the link the
``绑定`` command answers, WeChat's web OAuth (the local world's) signs them in, they bind, apply, the backend
completes the application, the completion notice is in ``/outbox``, they rate it — in Chinese, in English,
and with JavaScript off."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, serious_violations
from tests.e2e.conftest import LocalStack

WECHAT_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36 MicroMessenger/8.0.50"
WORDS = {
    "zh-CN": {"name": "真实姓名", "id": "身份证号", "phone": "手机号", "send": "获取验证码", "code": "短信验证码",
              "bind": "绑定", "bound": "已实名绑定", "apply": "我要申办", "purpose": "证明用途（必填）",
              "place": "所在村（社区）", "submit": "提交", "done": "已办结", "rate": "提交评价",
              "level": "5 — 非常满意", "rated": "您的评价：非常满意", "menu": "办事指南"},
    "en": {"name": "Full name (as on your ID card)", "id": "ID card number", "phone": "Mobile number",
           "send": "Send me a code", "code": "Code from the SMS", "bind": "Verify", "bound": "Identity verified:",
           "apply": "Apply", "purpose": "证明用途 (required)", "place": "Village", "submit": "Submit",
           "done": "Completed", "rate": "Send rating", "level": "5 — Very satisfied", "rated": "Your rating: Very "
           "satisfied", "menu": "Services"},
}


def _checked(page: Any, seen: list[str], script: bool) -> None:
    """axe-core finds nothing serious or critical on this page (axe runs as script: with JavaScript off the
    walk checks that each page works; the other walks check the same pages with axe)."""
    page.wait_for_load_state("load")  # a click's navigation may still be under way
    if script:
        assert serious_violations(page) == [], page.url
    seen.append(page.url.split("#")[0])


def _walk(stack: LocalStack, browser: Any, lang: str, script: bool, id_number: str, name: str) -> list[str]:
    words, seen = WORDS[lang], []
    openid = "o" + secrets.token_hex(13) + "x"
    link = re.search(r"(http://[^\s\]<]+)", stack.oa_text(openid, "绑定")).group(1)
    assert "/h5/bind?channel=wechat_oa" in link
    context = browser.new_context(viewport=PHONE, locale=lang, user_agent=WECHAT_UA, java_script_enabled=script)
    context.add_cookies([{"name": "wechat_openid", "value": openid, "url": stack.world.base}])  # who WeChat says
    page = context.new_page()
    page.goto(link)
    assert page.url.split("#")[0] == f"{stack.api.base}/h5/bind", page.url  # through WeChat's OAuth and /h5/login
    _checked(page, seen, script)
    phone = "137" + str(secrets.randbelow(10**8)).zfill(8)
    page.get_by_label(words["name"]).fill(name)
    page.get_by_label(words["id"]).fill(id_number)
    page.get_by_label(words["phone"]).fill(phone)
    page.get_by_role("button", name=words["send"]).click()
    _checked(page, seen, script)
    sms = stack.outbox(lambda ms: any(m["to"] == "+86" + phone for m in ms))
    code = re.search(r"\d{6}", next(m for m in sms if m["to"] == "+86" + phone)["text"]).group(0)
    page.get_by_label(words["code"]).fill(code)
    page.get_by_role("button", name=words["bind"]).click()
    status = page.get_by_role("status").inner_text()
    assert words["bound"] in status and id_number not in page.content() and phone not in page.content()
    _checked(page, seen, script)
    page.get_by_role("navigation", name="主菜单" if lang == "zh-CN" else "Main menu").get_by_role(
        "link", name=words["menu"]).click()
    _checked(page, seen, script)
    page.goto(f"{stack.api.base}/h5/items/V-CW-001")
    _checked(page, seen, script)
    page.get_by_role("link", name=words["apply"]).click()
    _checked(page, seen, script)
    page.get_by_label(words["purpose"]).fill("子女入学")
    page.get_by_label(words["place"]).select_option("城关镇 / 东街社区")
    page.get_by_role("button", name=words["submit"]).click()
    no = page.url.rsplit("/", 1)[1]
    assert re.fullmatch(r"SB\d+", no), page.url
    _checked(page, seen, script)
    for step in ("accepted", "in_review", "completed"):
        assert stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": step})[0] == 200
    sent = stack.outbox(lambda ms: any(m["to"] == openid and no in m["text"] for m in ms))
    assert any(m["channel"] == "wechat_oa" and m["to"] == openid and no in m["text"] for m in sent)
    page.reload()
    assert words["done"] in page.content()
    _checked(page, seen, script)
    page.get_by_label(words["level"]).check()
    page.get_by_role("button", name=words["rate"]).click()
    expect(page.get_by_text(words["rated"])).to_be_visible()
    _checked(page, seen, script)
    context.close()
    return seen


@pytest.mark.parametrize(("lang", "script", "id_number", "name"), [
    ("zh-CN", True, "440305199001010034", "林一"), ("en", True, "440305199001010042", "林二"),
    ("zh-CN", False, "440305199001010050", "林三")], ids=["chinese", "english", "no-javascript"])
def test_a_follower_goes_from_the_bind_link_to_a_rated_application(stack: LocalStack, browser: Any, lang: str,
                                                                   script: bool, id_number: str, name: str) -> None:
    seen = _walk(stack, browser, lang, script, id_number, name)
    assert len(seen) == 9
