"""The complaint loop on a running stack, in Chromium: the seeded administrator creates a department account
and assigns a citizen's complaint to it; the department's handler replies on the console; the reply reaches the
citizen — it is in the local world's ``/outbox``."""

from __future__ import annotations

import secrets
from typing import Any

from tests.browser.conftest import serious_violations, signed_in_page
from tests.e2e.conftest import LocalStack


def test_a_reply_given_on_the_console_reaches_the_citizen_through_the_outbox(stack: LocalStack,
                                                                            browser: Any) -> None:
    auth, phone, _ = stack.bind("/v1/auth/wechat-mini", {"code": "c-" + secrets.token_hex(6)},
                                "330102198507160021", "孙二", "183")
    status, filed = stack.api("POST", "/v1/complaints", {"content": "村委会开证明要跑三趟"}, auth)
    assert status == 201
    no, base, handler_name = filed["complaint_no"], stack.api.base, "minzheng" + secrets.token_hex(2)

    admin = signed_in_page(browser, base, "admin", "minqing-local-admin")
    admin.get_by_role("link", name="Staff accounts").click()
    admin.get_by_label("Username", exact=True).fill(handler_name)
    admin.get_by_label("Name", exact=True).fill("县民政局 周强")
    admin.get_by_label("Role").select_option("department_handler")
    admin.get_by_label("Department", exact=True).fill("县民政局")
    admin.get_by_label("First password (12 characters or more)").fill("minzheng-2026-dept")
    admin.get_by_role("button", name="Create").click()
    assert f"Account {handler_name} created." in admin.get_by_role("status").inner_text()
    admin.goto(f"{base}/console/complaints/{no}?lang=en")
    admin.get_by_label("Department").fill("县民政局")
    admin.get_by_role("button", name="Assign").click()
    assert "县民政局" in admin.locator("dl").inner_text()
    admin.close()

    handler = signed_in_page(browser, base, handler_name, "minzheng-2026-dept")
    handler.get_by_role("link", name=no).click()
    reply = "已要求村委会一次告知所需材料，当天开具。" + secrets.token_hex(2)
    handler.get_by_label("Reply").fill(reply)
    handler.get_by_role("button", name="Reply to the citizen").click()
    assert "Replied" in handler.locator("dl").inner_text()
    assert serious_violations(handler) == []
    handler.close()
    sent = stack.outbox(lambda ms: any(reply in (m.get("text") or "") for m in ms), timeout=30)
    (message,) = [m for m in sent if reply in (m.get("text") or "")]
    assert message["to"] == phone and no in message["text"]
