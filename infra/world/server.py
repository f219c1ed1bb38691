"""The local world (:8100): stand-ins for WeChat's API, Alipay's gateway and the SMS provider,
plus the outbox, fault injection and the hooks that drive the asynchronous half (docs/local.md).

Channel issues add their platform behaviour here; everything a citizen would receive lands
in ``GET /outbox``.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import secrets
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from infra.world import wechat_web
from infra.world.wechat_platform import value_allowed

Hook = Callable[..., Any]


class Query(dict[str, str]):
    """A request's query parameters, the address the request came from (``ip``) and its cookies."""

    def __init__(self, params: dict[str, str], ip: str, cookies: dict[str, str] | None = None):
        super().__init__(params)
        self.ip = ip
        self.cookies = cookies or {}


class World:
    """The state of the local world: outbox, faults, login codes, the WeChat platform."""

    def __init__(self, token_ttl: int = 7200, alipay: Any = None, sms: Any = None):
        from infra.world.wechat_platform import WeChatPlatform

        self.lock = threading.Lock()
        self.outbox: list[dict[str, Any]] = []
        self.faults: dict[str, list[dict[str, Any]]] = {}
        self.flaky: dict[str, tuple[float, dict[str, Any], random.Random]] = {}  # channel → (rate, fault, rng)
        self.used_codes: set[str] = set()
        self.wechat = WeChatPlatform(ttl=token_ttl)
        self.alipay = alipay  # infra.world.alipay_platform.AlipayWorld, when the stage has keys
        self.sms = sms  # infra.world.sms_platform.SmsWorld
        self.hooks: dict[str, Hook] = {}
        self.oauth_domains: dict[str, set[str]] = {}  # appid → 网页授权域名, host[:port] (wechat_web.py)
        self.oauth_codes: dict[str, wechat_web.OAuthGrant] = {}  # code from the authorize page → its grant
        self.menus: dict[str, dict[str, Any]] = {}  # appid → its custom menu, {"button": [...]}

    @property
    def token_fetches(self) -> int:
        """Access tokens handed out so far."""
        return self.wechat.fetches

    def deliver(self, channel: str, to: str, template: str, text: str, data: dict[str, Any]) -> dict[str, Any]:
        """Record a message that left Minqing for a citizen."""
        message = {"channel": channel, "to": to, "template": template, "text": text, "data": data,
                   "at": datetime.now(UTC).isoformat(timespec="milliseconds")}
        with self.lock:
            self.outbox.append(message)
        return message

    def take_fault(self, channel: str) -> dict[str, Any] | None:
        """The next injected fault for a channel, consumed; else, for a flaky channel, a fault at its rate."""
        with self.lock:
            queue = self.faults.get(channel) or []
            if queue:
                return queue.pop(0)
            if channel in self.flaky:
                rate, fault, rng = self.flaky[channel]
                return dict(fault) if rng.random() < rate else None
            return None

    def revoke_tokens(self) -> int:
        """Invalidate every access token handed out (next use answers 40001)."""
        return self.wechat.revoke_all()


def openid_for(appid: str, code: str) -> str:
    """Deterministic openid for a login code (the same code always maps to the same user)."""
    return "o" + hashlib.sha256(f"{appid}:{code}".encode()).hexdigest()[:27]


class Handler(BaseHTTPRequestHandler):
    """Routes of the local world."""

    world: World
    server_version = "MinqingLocalWorld/1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the stack prints its own lines."""

    # --- plumbing ---------------------------------------------------------------------
    def _send(self, status: int, body: Any, headers: Iterable[tuple[str, str]] = ()) -> None:
        """JSON, or HTML when ``body`` is a string; ``headers`` (Location, Set-Cookie …) are added."""
        text = isinstance(body, str)
        raw = body.encode("utf-8") if text else json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8" if text else "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw.strip() else {}
        except ValueError:
            return None

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        if parts.path == "/alipay/gateway.do" and self.world.alipay is not None:
            return self._alipay(method, params)
        query = Query(params, self.client_address[0], self._cookies())
        for pattern, verb, fn in ROUTES:
            match = re.fullmatch(pattern, parts.path)
            if match and verb == method:
                body = self._body() if method in ("POST", "PUT") else {}
                if body is None and not getattr(fn, "raw_json", False):
                    return self._send(400, {"error": "body is not JSON"})
                return self._send(*fn(self.world, query, body, *match.groups()))  # (status, body[, headers])
        return self._send(404, {"error": f"no route {method} {parts.path}"})

    def _cookies(self) -> dict[str, str]:
        """The request's cookies (none when the header does not parse)."""
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(self.headers.get("Cookie") or "")
        except CookieError:
            return {}
        return {name: morsel.value for name, morsel in jar.items()}

    def _alipay(self, method: str, query: dict[str, str]) -> None:
        """Alipay's gateway takes its parameters in the query string or as a form body."""
        params = dict(query)
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            form = self.rfile.read(length).decode("utf-8") if length else ""
            params.update({k: v[0] for k, v in parse_qs(form, keep_blank_values=True).items()})
        raw = self.world.alipay.answer(self.world, params).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        """GET."""
        self._route("GET")

    def do_POST(self) -> None:
        """POST."""
        self._route("POST")

    def do_DELETE(self) -> None:
        """DELETE."""
        self._route("DELETE")


Answer = tuple[int, Any]


def outbox(world: World, q: dict[str, str], body: Any) -> Answer:
    """``GET /outbox``: every message that left Minqing, oldest first."""
    with world.lock:
        return 200, {"messages": list(world.outbox)}


def clear_outbox(world: World, q: dict[str, str], body: Any) -> Answer:
    """``DELETE /outbox``."""
    with world.lock:
        world.outbox.clear()
    return 200, {"messages": []}


def add_fault(world: World, q: dict[str, str], body: Any) -> Answer:
    """``POST /local/faults {"channel","status"|"errcode","count"}`` — the next ``count`` calls fail; with
    ``"rate"`` (0–1, optional ``"seed"``) every call fails at that rate until the faults are cleared."""
    channel = str(body.get("channel") or "")
    if not channel or not ("status" in body or "errcode" in body):
        return 400, {"error": "channel and status or errcode are required"}
    fault = {k: body[k] for k in ("status", "errcode") if k in body}
    with world.lock:
        if "rate" in body:
            world.flaky[channel] = (float(body["rate"]), fault, random.Random(body.get("seed")))  # noqa: S311
        else:
            world.faults.setdefault(channel, []).extend([fault] * int(body.get("count", 1)))
    return 200, {"faults": world.faults, "flaky": {c: r for c, (r, _, _) in world.flaky.items()}}


def clear_faults(world: World, q: dict[str, str], body: Any) -> Answer:
    """``DELETE /local/faults``."""
    with world.lock:
        world.faults.clear()
        world.flaky.clear()
    return 200, {"faults": {}}


def aliyun_sms(world: World, q: dict[str, str], body: Any) -> Answer:
    """Aliyun Dysms ``SendSms`` (query parameters, signed)."""
    if world.sms is None:
        return 503, {"Code": "ServiceUnavailable", "Message": "no SMS provider configured"}
    return world.sms.send(world, dict(q))


def sms_inbound(world: World, q: dict[str, str], body: Any) -> Answer:
    """``POST /local/sms/inbound {"from","body"}``: the provider pushes it to Minqing's uplink URL."""
    if not body.get("from") or "body" not in body:
        return 400, {"error": "from and body are required"}
    if world.sms is None:
        return 503, {"error": "no SMS provider configured"}
    return world.sms.push_uplink(str(body["from"]), str(body["body"]))


def run_schedule(world: World, q: dict[str, str], body: Any, name: str) -> Answer:
    """``POST /local/run/{name} {"now"?}``: run a scheduled function now."""
    try:
        return 200, world.hooks["run"](name, body.get("now"))
    except KeyError as exc:
        return 404, {"error": str(exc)}


def _token_request(world: World, q: Query, given: dict[str, Any]) -> tuple[str, Answer | None]:
    """The appid asking for a token, or the refusal (injected fault, missing credentials, IP off the whitelist)."""
    fault = world.take_fault("wechat_token")
    if fault:
        return "", (int(fault.get("status", 200)), {"errcode": fault.get("errcode", -1), "errmsg": "injected"})
    appid = str(given.get("appid") or "")
    if not appid or not given.get("secret"):
        return appid, (200, {"errcode": 40013, "errmsg": "invalid appid"})
    refused = world.wechat.ip_refused(appid, q.ip)
    return appid, ((200, refused) if refused else None)


def wechat_token(world: World, q: Query, body: Any) -> Answer:
    """``GET /cgi-bin/token`` (rules in infra/world/wechat_platform.py)."""
    appid, refused = _token_request(world, q, q)
    return refused or (200, world.wechat.legacy_token(appid))


def wechat_stable_token(world: World, q: Query, body: Any) -> Answer:
    """``POST /cgi-bin/stable_token``: normal or force mode (rules in infra/world/wechat_platform.py)."""
    appid, refused = _token_request(world, q, body)
    return refused or (200, world.wechat.stable_token(appid, bool(body.get("force_refresh"))))


def jscode2session(world: World, q: dict[str, str], body: Any) -> Answer:
    """``GET /sns/jscode2session``: each code works once (40163 after), openid deterministic."""
    code = q.get("js_code", "")
    if not code or not q.get("appid") or not q.get("secret"):
        return 200, {"errcode": 40029, "errmsg": "invalid code"}
    with world.lock:
        if code in world.used_codes:
            return 200, {"errcode": 40163, "errmsg": "code been used"}
        world.used_codes.add(code)
    return 200, {"openid": openid_for(q["appid"], code), "session_key": secrets.token_urlsafe(16)}


def _wechat_send(world: World, q: Query, body: Any, channel: str, kind: str) -> Answer:
    """Common checks of WeChat's send APIs: token, whitelist, injected faults, value classes; then the outbox."""
    refused = wechat_web.api_refusal(world, q)[1]
    if refused:
        return refused
    fault = world.take_fault(channel)
    if fault:
        if "errcode" in fault:
            return 200, {"errcode": int(fault["errcode"]), "errmsg": "injected"}
        return int(fault.get("status", 500)), {"errmsg": "injected"}
    if not body.get("touser") or (kind != "custom" and not body.get("template_id")):
        return 200, {"errcode": 47001, "errmsg": "data format error"}
    data = body.get("data") or {}
    for key, item in data.items():
        if not value_allowed(key, str((item or {}).get("value", ""))):
            return 200, {"errcode": 47003, "errmsg": f"argument invalid! data.{key}.value invalid"}
    text = (body.get("text") or {}).get("content", "") if kind == "custom" else \
        " ".join(str(v.get("value", "")) for v in data.values())
    world.deliver(channel, str(body["touser"]), str(body.get("template_id", kind)), text, data)
    return 200, {"errcode": 0, "errmsg": "ok", "msgid": secrets.randbelow(10**12)}


def subscribe_send(world: World, q: dict[str, str], body: Any) -> Answer:
    """``POST /cgi-bin/message/subscribe/send`` (mini-program)."""
    return _wechat_send(world, q, body, "wechat_mini", "subscribe")


def template_send(world: World, q: dict[str, str], body: Any) -> Answer:
    """``POST /cgi-bin/message/template/send`` (official account)."""
    return _wechat_send(world, q, body, "wechat_oa", "template")


def bizsend(world: World, q: dict[str, str], body: Any) -> Answer:
    """``POST /cgi-bin/message/subscribe/bizsend`` (official account subscribe notification)."""
    return _wechat_send(world, q, body, "wechat_oa", "bizsend")


def custom_send(world: World, q: dict[str, str], body: Any) -> Answer:
    """``POST /cgi-bin/message/custom/send`` (customer-service message)."""
    return _wechat_send(world, q, body, "wechat_oa", "custom")


def oauth_token(world: World, q: dict[str, str], body: Any) -> Answer:
    """``GET /sns/oauth2/access_token``: OA web OAuth, each code once."""
    code = q.get("code", "")
    if not code or not q.get("appid"):
        return 200, {"errcode": 40029, "errmsg": "invalid code"}
    granted = wechat_web.redeem(world, q["appid"], code)  # a code from GET /connect/oauth2/authorize
    if granted is not None:
        return 200, granted
    with world.lock:
        if code in world.used_codes:
            return 200, {"errcode": 40163, "errmsg": "code been used"}
        world.used_codes.add(code)
    answer = {"access_token": secrets.token_urlsafe(16), "expires_in": 7200, "refresh_token": "r",
              "openid": openid_for(q["appid"], code), "scope": "snsapi_base"}
    if code.startswith("snapshot"):  # opened from the snapshot page (快照页): a virtual account
        answer.update(openid=openid_for("snapshot", code), is_snapshotuser=1, scope="snsapi_userinfo")
    return 200, answer


def whitelist(world: World, q: dict[str, str], body: Any) -> Answer:
    """``POST /local/wechat/whitelist {"appid","ips"}``: the account's API IP whitelist (``ips`` null: none)."""
    appid, ips = str(body.get("appid") or ""), body.get("ips")
    if not appid:
        return 400, {"error": "appid is required"}
    with world.wechat.lock:
        if ips is None:
            world.wechat.whitelists.pop(appid, None)
        else:
            world.wechat.whitelists[appid] = {str(ip) for ip in ips}
    return 200, {"appid": appid, "ips": sorted(world.wechat.whitelists.get(appid, set()))}


def revoke(world: World, q: dict[str, str], body: Any) -> Answer:
    """``POST /local/wechat/revoke``: invalidate every access token (the next send gets 40001)."""
    return 200, {"revoked": world.revoke_tokens(), "fetches": world.token_fetches}


ROUTES: list[tuple[str, str, Callable[..., Answer]]] = [
    (r"/outbox", "GET", outbox),
    (r"/outbox", "DELETE", clear_outbox),
    (r"/local/faults", "POST", add_fault),
    (r"/local/faults", "DELETE", clear_faults),
    (r"/local/sms/inbound", "POST", sms_inbound),
    (r"/local/run/([a-z_]+)", "POST", run_schedule),
    (r"/aliyun/sms", "GET", aliyun_sms),
    (r"/cgi-bin/token", "GET", wechat_token),
    (r"/cgi-bin/stable_token", "POST", wechat_stable_token),
    (r"/sns/jscode2session", "GET", jscode2session),
    (r"/sns/oauth2/access_token", "GET", oauth_token),
    (r"/cgi-bin/message/subscribe/send", "POST", subscribe_send),
    (r"/cgi-bin/message/template/send", "POST", template_send),
    (r"/cgi-bin/message/subscribe/bizsend", "POST", bizsend),
    (r"/cgi-bin/message/custom/send", "POST", custom_send),
    (r"/local/wechat/revoke", "POST", revoke),
    (r"/local/wechat/whitelist", "POST", whitelist),
    (r"/local/wechat/oauth-domain", "POST", wechat_web.oauth_domain),
    (r"/connect/oauth2/authorize", "GET", wechat_web.authorize),
    (r"/cgi-bin/menu/create", "POST", wechat_web.menu_create),
    (r"/cgi-bin/menu/get", "GET", wechat_web.menu_get),
    (r"/cgi-bin/menu/delete", "GET", wechat_web.menu_delete),
]


def serve(world: World, host: str = "127.0.0.1", port: int = 8100) -> ThreadingHTTPServer:
    """Start the local world in a daemon thread; returns the server (``shutdown()`` to stop)."""
    handler = type("BoundHandler", (Handler,), {"world": world})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="local-world", daemon=True).start()
    return server
