"""What every HTTP entry point shares: JSON in and out, the contract's error shape, auth.

``route`` registers a view on a Blueprint so that any ``MinqingError`` it raises answers in
the contract's shape, and records what the route declares (auth, body, query, answer, errors) as an
``Operation`` of the OpenAPI document; ``parse`` and ``query`` validate with the very models declared.
The ``contract`` middleware (functions/middleware.py) does the rest.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

from chalice import Blueprint, Response
from chalice.app import Request

from functions.bootstrap import services
from shared.errors import BadRequest, MinqingError, PayloadTooLarge, ValidationFailed
from shared.openapi import Link, Operation, model
from shared.personal_data import mask_personal

if TYPE_CHECKING:

    from shared.contract.keys import BackendCaller
    from shared.contract.records import Citizen
    from shared.sessions import Principal

log = logging.getLogger(__name__)

OPERATIONS: list[Operation] = []  # every documented route, in registration order
_current: ContextVar[Operation | None] = ContextVar("operation", default=None)

MAX_BODY = 64 * 1024
JSON = "application/json; charset=utf-8"


def respond(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response; pydantic views are dumped as JSON, Chinese left readable; any ID number or mobile
    in it (an echo of input, a complaint's text, an error message) masked — the one exit of every body."""
    data = body.model_dump(mode="json", by_alias=True) if hasattr(body, "model_dump") else \
        json.loads(json.dumps(body, ensure_ascii=False, default=_default))
    text = json.dumps(_masked(data), ensure_ascii=False)
    return Response(body=text, status_code=status, headers={"Content-Type": JSON, **(headers or {})})


def _default(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


IDENTIFIERS = frozenset({"notice_id", "licence_id", "application_no", "complaint_no", "case_id", "item_code",
                         "token", "template_id", "channel", "status", "kind", "code"})


def _masked(value: Any, key: str | None = None) -> Any:
    """Every string of a body with ID numbers and mobiles masked, but identifier fields (which a client
    must get back exactly, and which may be long digit runs chosen by a county's system)."""
    if isinstance(value, str):
        return value if key in IDENTIFIERS else mask_personal(value)
    if isinstance(value, dict):
        return {k: _masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, key) for v in value]
    return value


def error_response(exc: MinqingError) -> Response:
    """The contract's error body for ``exc``."""
    return respond(exc.to_body(), exc.status, exc.headers())


def route(bp: Blueprint, path: str, methods: list[str] | None = None, *, answer: tuple[int, str] | None = None,
          auth: str | None = None, body: str | None = None, query: str | None = None,
          errors: tuple[type[MinqingError], ...] = (), headers: tuple[tuple[str, str], ...] = (),
          links: tuple[Link, ...] = (), scope: str | None = None, **kwargs: Any) -> Callable[..., Any]:
    """Register a view whose Minqing errors answer in the contract's shape; with ``answer`` (status, model
    name) it is an operation of the OpenAPI document, ``body``/``query`` naming the models it validates and
    ``scope`` the backend key scope it needs."""
    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        summary = " ".join((view.__doc__ or "").strip().split("\n\n")[0].split())
        ops = [Operation(method=m, path=path, summary=summary,
                         tag=view.__module__.rsplit(".", 1)[-1], auth=auth, body=body, query=query,
                         answer=answer, errors=errors, headers=headers, links=links, scope=scope)
               for m in methods or ["GET"]] if answer else []
        OPERATIONS.extend(ops)

        @functools.wraps(view)
        def wrapped(**params: str) -> Response:
            token = _current.set(ops[0] if ops else None)
            try:
                return view(**params)
            except MinqingError as exc:
                if exc.status >= 500:
                    log.error("request failed: %s", exc.message, exc_info=True)
                return error_response(exc)
            finally:
                _current.reset(token)
        bp.route(path, methods=methods or ["GET"], **kwargs)(wrapped)
        return wrapped
    return decorate


def request(bp: Blueprint) -> Request:
    """The request being handled."""
    current = bp.current_request
    assert current is not None
    return current


def raw_body(req: Request) -> bytes:
    """The body as sent (at most 64 KiB)."""
    body = req.raw_body or b""
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    if len(data) > MAX_BODY:
        raise PayloadTooLarge()
    return data


def _declared(kind: str) -> Any:
    op = _current.get()
    name = getattr(op, kind, None) if op else None
    assert name, f"the route declares no {kind} model"
    return model(name)


def parse(req: Request) -> Any:
    """The JSON body validated as the route's declared ``body`` model: 400 when not JSON, 422 listing bad
    fields."""
    data = raw_body(req)
    content_type = (req.headers.get("content-type") or "application/json").lower()
    if not content_type.startswith("application/json"):
        raise BadRequest("Content-Type must be application/json")
    if not data.strip():
        raise BadRequest("a JSON body is required")
    from shared.json_input import JsonRefused, loads

    try:
        payload = loads(data)
    except JsonRefused as exc:
        raise BadRequest(f"the body is not valid JSON ({exc})") from None
    if not isinstance(payload, dict):
        raise BadRequest("the body must be a JSON object")
    return ValidationFailed.check(_declared("body"), payload, "body")


def query(req: Request) -> Any:
    """The query string validated as the route's declared ``query`` model (422 listing bad values)."""
    return ValidationFailed.check(_declared("query"), dict(req.query_params or {}), "query")


def principal(req: Request) -> Principal:
    """The channel account of the Bearer token (401 otherwise)."""
    return services().identity.authenticate(req.headers.get("authorization"))


def citizen(req: Request) -> tuple[Principal, Citizen]:
    """The caller and the citizen it is bound to (403 when unbound)."""
    who = principal(req)
    return who, services().identity.citizen_of(who)


def signed(req: Request) -> BackendCaller:
    """Verify a backend request's HMAC signature, nonce and key (``X-Minqing-Key-Id``, else the default key)
    and that the key holds the route's declared scope; returns who signed it."""
    op = _current.get()
    return services().backend_auth.verify(
        req.headers.get("x-minqing-timestamp"), req.headers.get("x-minqing-nonce"),
        req.headers.get("x-minqing-signature"), req.method, _paths_as_sent(req), raw_body(req),
        key_id=req.headers.get("x-minqing-key-id"), scope=op.scope if op else None, source=source_ip(req))


def _paths_as_sent(req: Request) -> list[str]:
    """Renderings of the request's path and query string as the client may have sent them.

    API Gateway's REST events carry the query string decoded, so it is re-encoded in its
    received order (RFC 3986 and form encodings) and, as a fallback, sorted by name.
    """
    event = req.to_original_event()
    ctx = req.context
    paths = [p for p in (event.get("path"), ctx.get("path")) if p]
    stage = ctx.get("stage")
    if stage and ctx.get("path", "").startswith(f"/{stage}/"):
        paths.append(ctx["path"][len(stage) + 1:])
    pairs = [(k, v) for k, vs in (event.get("multiValueQueryStringParameters") or {}).items() for v in vs]
    queries = [""]
    if pairs:
        queries = []
        for ordered in (pairs, sorted(pairs)):
            for enc in (lambda s: quote(s, safe="-_.~"), quote_plus):
                queries.append("?" + "&".join(f"{enc(k)}={enc(v)}" for k, v in ordered))
    return [p + q for p in dict.fromkeys(paths) for q in queries]


PAGE_HEADERS = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options":
                "nosniff", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                "form-action 'self'; frame-ancestors 'none'", "Referrer-Policy": "same-origin"}


def html(body: str, status: int = 200, cookies: list[str] | None = None,
         headers: dict[str, str] | None = None) -> Response:
    """A page people read: never cached, never framed, no script; ``cookies`` are whole Set-Cookie values."""
    return Response(body, status_code=status, headers={**PAGE_HEADERS, **(headers or {}),
                                                       **({"Set-Cookie": cookies} if cookies else {})})


def redirect(location: str, cookies: list[str] | None = None) -> Response:
    """303 See Other to a relative ``location`` (it resolves under any API stage prefix)."""
    return Response("", status_code=303, headers={"Location": location, "Cache-Control": "no-store",
                                                  **({"Set-Cookie": cookies} if cookies else {})})


def asked_path(req: Request) -> str:
    """The path as the browser asked for it, trailing slash kept (pages whose relative links depend on it)."""
    return str(req.to_original_event().get("path") or req.context.get("path") or "")


def cookie(req: Request, name: str) -> str | None:
    """One cookie's value, or None."""
    from http.cookies import CookieError, SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(req.headers.get("cookie") or "")
    except CookieError:
        return None
    found = jar.get(name)
    return found.value if found else None


def set_cookie(name: str, value: str, max_age: int, same_site: str = "Strict") -> str:
    """A Set-Cookie value only the server reads, only over HTTPS; ``Strict``: never sent from another site
    (``Lax``: sent on a top-level navigation from another site too, as WeChat's OAuth return needs)."""
    return f"{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; Secure; SameSite={same_site}"


def form(req: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (first value of each field)."""
    return {k: v[0] for k, v in form_values(req).items()}


def form_values(req: Request) -> dict[str, list[str]]:
    """An ``application/x-www-form-urlencoded`` body, every value of each field (checkboxes)."""
    from urllib.parse import parse_qs

    try:
        return parse_qs(raw_body(req).decode("utf-8"), keep_blank_values=True, max_num_fields=50)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("the form is not valid") from None


def source_ip(req: Request) -> str:
    """The client's address as API Gateway saw it (for the audit log)."""
    return str((req.context.get("identity") or {}).get("sourceIp") or "")
