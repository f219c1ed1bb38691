"""/docs in Chromium, at a phone's and a laptop's size, in both languages: every operation is there, axe-core
finds nothing serious, the keyboard reaches the content, and nothing is fetched from outside loopback."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import LAPTOP, PHONE, serious_violations


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_docs_page_is_accessible_and_shows_every_operation(browser: Any, site: str, lang: str,
                                                               viewport: dict[str, int]) -> None:
    with urllib.request.urlopen(f"{site}/openapi.json") as resp:
        doc = json.load(resp)
    page = browser.new_page(viewport=viewport, locale=lang)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site}/docs?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    for path, item in doc["paths"].items():
        for op in item.values():
            heading = page.locator(f"#h-{op['operationId']}")
            assert heading.count() == 1 and path in heading.inner_text()
    assert serious_violations(page) == []
    assert all(url.startswith(site) for url in requested), requested
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    page.close()


def test_the_language_link_and_the_keyboard_work(browser: Any, site: str) -> None:
    page = browser.new_page(viewport=PHONE, locale="zh-CN")  # a phone set to Chinese: the page follows it
    page.goto(f"{site}/docs")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", level=1).inner_text().startswith("民情直通车")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Minqing API reference")
    page.close()


def test_the_raw_document_link_works_from_docs_with_a_trailing_slash(browser: Any, site: str) -> None:
    page = browser.new_page()
    page.goto(f"{site}/docs/?lang=en")
    with page.expect_navigation():
        page.get_by_role("link", name="OpenAPI 3.1 document (JSON)").click()
    assert json.loads(page.locator("body").inner_text())["openapi"] == "3.1.0"
    page.close()
