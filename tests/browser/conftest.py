"""Pages in a real browser: the app served over real HTTP on a free loopback port, Debian's Chromium driven by
Playwright, axe-core for accessibility (docs/local.md, "make test")."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from functions.bootstrap import Services

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def _handler(gateway: Any) -> type[BaseHTTPRequestHandler]:
    from chalice.local import ForbiddenError

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
            try:
                out = gateway.handle_request(self.command, self.path, dict(self.headers.items()), body)
            except ForbiddenError:
                out = {"statusCode": 403, "headers": {"Content-Type": "application/json"}, "body": "{}"}
            payload = out.get("body") or b""
            if out.get("isBase64Encoded"):
                payload = base64.b64decode(payload)
            data = payload if isinstance(payload, bytes) else str(payload).encode("utf-8")
            self.send_response(out["statusCode"])
            for name, value in (out.get("headers") or {}).items():
                self.send_header(name, value)
            for name, values in (out.get("multiValueHeaders") or {}).items():
                for value in values:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _serve

        def log_message(self, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def site(svc: Services) -> Iterator[str]:
    """The app (with the test services) over HTTP: its base URL."""
    from chalice.config import Config
    from chalice.local import LocalGateway

    from app import app

    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(LocalGateway(app, Config())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


SIGN_IN = {"en": ("Username", "Password", "Sign in"), "zh-CN": ("用户名", "密码", "登录")}


def signed_in_page(browser: Any, site: str, username: str, password: str, lang: str = "en",
                   viewport: dict[str, int] = LAPTOP) -> Any:
    """A new page signed in to the console through its form, on the work queue."""
    user_label, password_label, button = SIGN_IN[lang]
    page = browser.new_page(viewport=viewport, locale=lang)
    page.goto(f"{site}/console/login?lang={lang}")
    page.get_by_label(user_label).fill(username)
    page.get_by_label(password_label).fill(password)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"{site}/console/")
    return page


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]
