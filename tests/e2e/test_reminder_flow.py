"""Expiry reminders end to end: ``POST /local/run/expiry_reminders {"now"}`` runs the real schedule
and the reminder reaches the citizen; a second run the same day sends nothing more."""

from __future__ import annotations

import secrets
import time
from datetime import date, timedelta

from tests.e2e.conftest import LocalStack


def test_a_reminder_is_sent_once_when_its_threshold_day_comes(stack: LocalStack) -> None:
    id_number = "370102197001010010"
    _, phone, _ = stack.bind("/v1/auth/wechat-mini", {"code": "c-" + secrets.token_hex(6)}, id_number, "郑十", "187")
    today = date.today()
    expires = (today + timedelta(days=30)).isoformat()
    assert stack.backend("PUT", "/backend/v1/licences/E2E-DL-1", {
        "id_number": id_number, "kind": "driving_licence", "number": "370102197001010010",
        "expires_on": expires})[0] == 200
    run_at = {"now": f"{today.isoformat()}T09:00:00+08:00"}
    for _ in range(2):
        status, body = stack.world("POST", "/local/run/expiry_reminders", run_at)
        assert status == 200, body
    reminders = stack.outbox(lambda ms: any(m["to"] == phone and expires in m["text"] for m in ms))
    time.sleep(2)
    reminders = [m for m in stack.outbox() if m["to"] == phone and expires in m["text"]]
    assert len(reminders) == 1
    assert "机动车驾驶证" in reminders[0]["text"]
