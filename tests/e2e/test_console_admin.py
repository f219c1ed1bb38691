"""The local stack seeds the county administrator the README and its banner name: they can sign in."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode, urlsplit

from tests.e2e.conftest import LocalStack


def test_the_seeded_administrator_signs_in_to_the_console(stack: LocalStack) -> None:
    assert "Console (运营台)" in stack.log.read_text(errors="replace") and "minqing-local-admin" in \
        stack.log.read_text(errors="replace")
    host = urlsplit(stack.api.base).netloc
    conn = http.client.HTTPConnection(host, timeout=15)
    conn.request("GET", "/console/login")
    form = conn.getresponse()
    page, pre = form.read().decode(), re.search(r"minqing_console_login=([^;]+)", form.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert pre and token
    conn.request("POST", "/console/login", body=urlencode({"csrf": token.group(1), "username": "admin",
                                                           "password": "minqing-local-admin"}),
                 headers={"Content-Type": "application/x-www-form-urlencoded",
                          "Cookie": f"minqing_console_login={pre.group(1)}"})
    answer = conn.getresponse()
    answer.read()
    session = re.search(r"minqing_console=([^;]+)", answer.getheader("Set-Cookie") or "")
    assert answer.status == 303 and session
    conn.request("GET", "/console/?lang=en", headers={"Cookie": f"minqing_console={session.group(1)}"})
    queue = conn.getresponse()
    assert queue.status == 200 and "My work queue" in queue.read().decode()
