"""Test helpers: sample events, fakes for the ports, an API client that signs and binds."""

from __future__ import annotations

import json
import re
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from functions.bootstrap import Services
from shared.services.backend_auth import sign
from shared.sessions import Principal

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
VALID_ID = "11010519491231002X"
OTHER_ID = "440524188001010014"


def load_event(name: str, **values: str) -> dict[str, Any]:
    """A sample payload from ``events/`` (``name`` relative, without ``.json``), ``${KEY}`` filled in."""
    text = (EVENTS / f"{name}.json").read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("${" + key + "}", value)
    return json.loads(text)


def load_raw(name: str) -> bytes:
    """A sample payload from ``events/`` as bytes (XML and other non-JSON bodies)."""
    return (EVENTS / name).read_bytes()


def scheduled_event(at: datetime) -> dict[str, Any]:
    """The EventBridge event a schedule receives, as of ``at``."""
    return {"version": "0", "id": "e", "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "123456789012", "time": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "region": "cn-north-1", "resources": [], "detail": {}}


def table_spec(stage: str = "test") -> dict[str, Any]:
    """``create_table`` arguments read from the infra template (one definition of the table)."""
    template = json.loads((ROOT / "infra" / "deploy" / "resources.json").read_text(encoding="utf-8"))
    props = dict(template["Resources"]["Table"]["Properties"])
    props["TableName"] = f"minqing-{stage}"
    props.pop("TimeToLiveSpecification")
    props.pop("PointInTimeRecoverySpecification")
    props.pop("SSESpecification")
    return props


class FakeSms:
    """Records SMS instead of sending; can be told to fail."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.fail = False

    def send(self, phone: str, template: str, params: dict[str, str], text: str) -> str:
        """Record one message."""
        if self.fail:
            raise ConnectionError("provider down")
        self.sent.append({"phone": phone, "template": template, "params": params, "text": text})
        return f"m{len(self.sent)}"

    def last_code(self, phone: str) -> str:
        """The code of the latest OTP sent to ``phone``."""
        for msg in reversed(self.sent):
            if msg["phone"] == phone:
                return msg["params"]["code"]
        raise AssertionError(f"no SMS to {phone}")


class FakeQueue:
    """Records the tries handed to delivery: ``ids`` in order, ``sent`` as (id, delay, gen)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.sent: list[tuple[str, int, int]] = []
        self.cursor = 0  # the next try ``drain`` runs

    def enqueue(self, notice_ids: list[str], *, delay: int = 0, gen: int = 0) -> None:
        """Record."""
        self.ids.extend(notice_ids)
        self.sent += [(i, delay, gen) for i in notice_ids]


def drain(svc: Services, queue: FakeQueue, limit: int = 500) -> int:
    """Hand the queued tries, in order, to the real notice worker (``svc`` installed), the clock moved by
    each delay; every try must succeed as a queue message. Returns how many ran."""
    from functions.notice_worker import deliver_notices

    done = 0
    while queue.cursor < len(queue.sent) and done < limit:
        notice_id, delay, gen = queue.sent[queue.cursor]
        queue.cursor += 1
        if delay:
            svc.clock.advance(seconds=delay)  # type: ignore[attr-defined]
        event = load_event("sqs/notice", NOTICE_ID=notice_id, GEN=str(gen))
        assert deliver_notices(event, None) == {"batchItemFailures": []}
        done += 1
    return done


class Api:
    """Calls the app through ``chalice.test.Client`` as a citizen or as the backend."""

    def __init__(self, client: Any, svc: Services, sms: FakeSms):
        self.client, self.svc, self.sms = client, svc, sms

    def token(self, channel: str = "wechat_mini", account: str | None = None) -> str:
        """A session token for a (new) channel account."""
        account = account or "o" + secrets.token_hex(8)
        return self.svc.identity.issue_token(Principal(channel=channel, account=account)).token

    def call(self, method: str, path: str, body: Any = None, token: str | None = None,
             headers: dict[str, str] | None = None) -> Any:
        """One JSON request; returns the chalice test response."""
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        raw = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
        return getattr(self.client.http, method.lower())(path, headers=hdrs, body=raw)

    def bind(self, token: str, id_number: str = VALID_ID, name: str = "张三", phone: str = "13800138000") -> Any:
        """Request an OTP and bind with it."""
        out = self.call("POST", "/v1/identity/otp", {"phone": phone}, token)
        assert out.status_code == 202, out.body
        code = self.sms.last_code("+86" + phone[-11:])
        return self.call("POST", "/v1/identity/bind", {"id_number": id_number, "name": name, "phone": phone,
                                                       "otp": code}, token)

    def citizen(self, **kwargs: Any) -> str:
        """A token of a freshly bound citizen."""
        token = self.token()
        assert self.bind(token, **kwargs).status_code == 200
        return token

    def backend(self, method: str, path: str, body: Any = None, *, ts: int | None = None,
                nonce: str | None = None, key: str | None = None, key_id: str | None = None) -> Any:
        """A signed backend request (with ``key_id``: signed with that scoped key's secret ``key``)."""
        raw = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        ts_s = str(ts if ts is not None else int(self.svc.clock.now().timestamp()))
        nonce = nonce or secrets.token_hex(8)
        sig = sign(key or self.svc.settings.backend_hmac_key.get_secret_value(), ts_s, nonce, method, path, raw)
        headers = {"Content-Type": "application/json", "X-Minqing-Timestamp": ts_s, "X-Minqing-Nonce": nonce,
                   "X-Minqing-Signature": sig, **({"X-Minqing-Key-Id": key_id} if key_id else {})}
        return getattr(self.client.http, method.lower())(path, headers=headers, body=raw or None)

    def submit(self, token: str, item_code: str = "V-CW-001", form: dict[str, str] | None = None,
               key: str | None = None) -> Any:
        """Submit an application."""
        return self.call("POST", "/v1/applications", {"item_code": item_code, "form": form or {"purpose": "入学"}},
                         token, {"Idempotency-Key": key or secrets.token_hex(8)})

    def walk(self, no: str, *statuses: str) -> Any:
        """Post backend events in order; returns the last response."""
        out = None
        for status in statuses:
            out = self.backend("POST", f"/backend/v1/applications/{no}/events", {"status": status})
            assert out.status_code == 200, out.body
        return out


def no_pii(text: str) -> bool:
    """True when ``text`` holds no full ID number and no full mobile number (hex ids are not numbers)."""
    return not re.search(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])", text) and \
        not re.search(r"(?<![0-9A-Za-z])(?:\+?86)?1[3-9]\d{9}(?![0-9A-Za-z])", text)


def epoch() -> int:
    """Now, in seconds."""
    return int(time.time())


# The example of Aliyun's 签名机制 documentation for SendSms.
ALIYUN_DOC_PARAMS = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
                     "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
                     "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
                     "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
                     "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}


def store_bound(store: Any, citizen: Any, channel: str, account: str, clock: Any) -> None:
    """Store ``citizen`` with one bound channel account, as a bind would leave them."""
    from shared.contract.records import ChannelAccount

    unit = store.unit_of_work()
    unit.citizens.add(citizen)
    unit.commit()
    unit = store.unit_of_work()
    unit.accounts.link(ChannelAccount(channel=channel, account=account), citizen.citizen_id, "zh-CN", clock.now())
    unit.commit()


class H5Visitor:
    """A phone browser on the H5 portal through the app in-process: keeps cookies, follows redirects,
    fills each form's CSRF token from the page it came from."""

    def __init__(self, client: Any, user_agent: str = "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"):
        self.client, self.cookies, self.ua = client, {}, user_agent
        self.page, self.path = "", "/h5/"

    def _keep(self, out: Any) -> None:
        values = out.headers.get("Set-Cookie") or []
        for value in values if isinstance(values, list) else [values]:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";")[0]
            if "Max-Age=0" in value:
                self.cookies.pop(name, None)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        jar = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"User-Agent": self.ua, **({"Cookie": jar} if jar else {}), **(extra or {})}

    def _follow(self, out: Any, path: str) -> Any:
        from urllib.parse import urljoin

        self._keep(out)
        while out.status_code in (302, 303) and not out.headers["Location"].startswith(("http://", "https://")):
            path = urljoin("http://x" + path, out.headers["Location"]).removeprefix("http://x")
            out = self.client.http.get(path, headers=self._headers())
            self._keep(out)
        self.path, self.page = path, out.body.decode()
        return out

    def get(self, path: str, follow: bool = True) -> Any:
        """GET a page (following redirects within the site)."""
        out = self.client.http.get(path, headers=self._headers())
        return self._follow(out, path) if follow else out

    def post(self, action: str, fields: dict[str, str], csrf: str | None = None, follow: bool = True) -> Any:
        """POST a form; ``action`` is relative to the current page; the token is the current page's."""
        from urllib.parse import urlencode, urljoin

        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', self.page))
        if csrf is not None:
            hidden["csrf"] = csrf
        path = urljoin("http://x" + self.path, action).removeprefix("http://x")
        body = urlencode({**hidden, **fields}).encode()
        out = self.client.http.post(path, headers=self._headers({"Content-Type": "application/x-www-form-urlencoded"}),
                                    body=body)
        return self._follow(out, path) if follow else out
