"""A real ``make run``-style stack on free loopback ports, shared by the end-to-end tests."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from channels.wechat.crypto import signature
from shared.services.backend_auth import sign

ROOT = Path(__file__).resolve().parents[2]
OA_TOKEN = "minqinglocal"  # the local stage's OA token (.chalice/config.json)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Http:
    """A JSON client over real HTTP."""

    base: str

    def __call__(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                 raw: bytes | None = None) -> tuple[int, Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                text = resp.read()
                return resp.status, json.loads(text) if text else None
        except urllib.error.HTTPError as exc:
            text = exc.read()
            return exc.code, json.loads(text) if text else None


@dataclass
class LocalStack:
    """URLs and helpers of a running stack."""

    api: Http
    world: Http
    hmac_key: str
    log: Path
    ports: dict[str, int]

    def backend(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        raw = b"" if body is None else json.dumps(body).encode()
        ts, nonce = str(int(time.time())), secrets.token_hex(8)
        return self.api(method, path, raw=raw or None, headers={
            "X-Minqing-Timestamp": ts, "X-Minqing-Nonce": nonce,
            "X-Minqing-Signature": sign(self.hmac_key, ts, nonce, method, path, raw)})

    def bind(self, login_path: str, login_body: dict[str, str], id_number: str, name: str,
             prefix: str = "139") -> tuple[dict[str, str], str, dict[str, Any]]:
        """Log in on a channel, get the OTP from the outbox, bind: ``(auth headers, +86 phone, me)``."""
        status, login = self.api("POST", login_path, login_body)
        assert status == 200, login
        auth = {"Authorization": f"Bearer {login['token']}"}
        phone = "+86" + prefix + str(secrets.randbelow(10**8)).zfill(8)
        assert self.api("POST", "/v1/identity/otp", {"phone": phone}, auth)[0] == 202
        sms = self.outbox(lambda ms: any(m["to"] == phone for m in ms))
        code = re.search(r"\d{6}", next(m for m in sms if m["to"] == phone)["text"]).group(0)  # type: ignore[union-attr]
        status, bound = self.api("POST", "/v1/identity/bind", {"id_number": id_number, "name": name, "phone": phone,
                                                               "otp": code}, auth)
        assert status == 200, bound
        return auth, phone, bound["citizen"]

    def apply(self, auth: dict[str, str], item_code: str = "V-CW-001",
              form: dict[str, str] | None = None) -> str:
        """Submit an application; its number."""
        status, app = self.api("POST", "/v1/applications", {"item_code": item_code, "form": form or {"purpose": "x"}},
                               {**auth, "Idempotency-Key": secrets.token_hex(8)})
        assert status == 201, app
        return str(app["application_no"])

    def oa_text(self, openid: str, content: str) -> str:
        """A follower's text message to the official account (plain mode), as WeChat posts it; the reply."""
        ts, nonce = str(int(time.time())), secrets.token_hex(4)
        query = urllib.parse.urlencode({"signature": signature(OA_TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce,
                                        "openid": openid})
        body = (f"<xml><ToUserName><![CDATA[gh_local]]></ToUserName><FromUserName><![CDATA[{openid}]]>"
                f"</FromUserName><CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                f"<Content><![CDATA[{content}]]></Content><MsgId>{secrets.randbelow(10**15)}</MsgId></xml>").encode()
        req = urllib.request.Request(f"{self.api.base}/wechat/oa?{query}", data=body, method="POST",
                                     headers={"Content-Type": "text/xml"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.read().decode()

    def until(self, check: Any, timeout: float = 60.0) -> Any:
        """Poll ``check()`` until it returns something truthy (or the timeout); its last value."""
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.3)

    def outbox(self, until: Any = None, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The outbox, waiting until ``until(messages)`` holds (if given)."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.world("GET", "/outbox")[1]["messages"]
            if until is None or until(messages) or time.monotonic() > deadline:
                return messages
            time.sleep(0.2)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    ports = {"aws": _free_port(), "api": _free_port(), "world": _free_port()}
    log = tmp_path_factory.mktemp("stack") / "stack.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MINQING_"))}
    env.update({f"MINQING_LOCAL_{name.upper()}_PORT": str(port) for name, port in ports.items()})  # as the README says
    env["MINQING_LOCAL_STATE"] = str(log.with_name("stack.json"))  # never the developer's own .local/stack.json
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "infra.local"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 120
            while "Minqing is running" not in log.read_text(errors="replace"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("stack did not start:\n" + log.read_text(errors="replace")[-3000:])
                time.sleep(0.3)
            yield LocalStack(Http(f"http://127.0.0.1:{ports['api']}"), Http(f"http://127.0.0.1:{ports['world']}"),
                             "local-only-backend-hmac-key", log, ports)
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
