"""The OpenAPI 3.1 document of the HTTP contract, generated from what the routes declare (``Operation``)
and the pydantic models they validate and answer with — one source, no hand-copied schema.

Models are named, not imported, by the routes (``"SubmitApplication"``) so that a cold start imports
no pydantic model it does not use; ``model`` resolves a name in ``shared.contract``.
https://spec.openapis.org/oas/v3.1.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from shared.errors import (
    BadRequest,
    MinqingError,
    PayloadTooLarge,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)

VERSION = "1.0.0"
MODULES = ("shared.contract.commands", "shared.contract.queries", "shared.contract.answers",
           "shared.contract.views")
BEARER = "bearer"
BACKEND = ("MinqingTimestamp", "MinqingNonce", "MinqingSignature")
ERROR = "ErrorAnswer"
_REF = "#/components/schemas/{model}"
DESCRIPTION = """\
One backend contract for a county's citizen services on every channel: the citizen API (`/v1`, a Bearer
session token from a channel login) and the backend API (`/backend/v1`, requests signed by the county's
approval system and operators with HMAC-SHA256).

- JSON in and out, UTF-8; bodies at most 64 KiB (413).
- Every failure answers `{"error": {"code", "message", "details"}}`; a 422 lists the refused fields in
  `details`. No answer ever shows a full ID number or mobile number: they come back masked.
- Citizen routes that act for a person need a bound account (`POST /v1/identity/bind`), else 403.
- Backend signing: `X-Minqing-Signature` = hex HMAC-SHA256 of `timestamp\\nnonce\\nMETHOD\\npath_and_query\\nbody`
  (docs/backend-signing.md in the repository has worked examples in Python and Node.js).
"""


@dataclass(frozen=True)
class Link:
    """An OpenAPI link: a value of this answer's body feeds a parameter of another operation (a client's next
    step, and the path schemathesis's stateful tests walk). https://spec.openapis.org/oas/v3.1.0#link-object"""

    target: str      # "GET /v1/applications/{no}"
    parameter: str   # "no"
    pointer: str     # JSON pointer into the answer body, without the leading slash: "application_no"


def operation_id(method: str, path: str) -> str:
    """``post_v1_applications_no_rating`` for ``POST /v1/applications/{no}/rating``."""
    return f"{method.lower()}_{re.sub(r'[^a-z0-9]+', '_', path.lower()).strip('_')}"


@dataclass(frozen=True)
class Operation:
    """One route as the contract states it: who may call it, what it takes, what it answers."""

    method: str
    path: str
    summary: str
    tag: str
    auth: str | None = None          # "citizen" (bound), "account" (any token), "backend" (signed), None
    body: str | None = None          # a command model's name
    query: str | None = None         # a query model's name
    answer: tuple[int, str] = (200, "")
    errors: tuple[type[MinqingError], ...] = ()
    headers: tuple[tuple[str, str], ...] = field(default=())  # required request headers: (name, meaning)
    links: tuple[Link, ...] = ()
    scope: str | None = None         # the backend key scope it needs (docs/contract.md, Backend keys)

    def implied_errors(self) -> tuple[type[MinqingError], ...]:
        """Every error this operation can answer: what it declares, what its auth, body and query imply,
        and 503 (a dependency down) everywhere."""
        from shared.errors import Forbidden

        implied: list[type[MinqingError]] = list(self.errors)
        if self.auth:
            implied.append(Unauthorized)
        if self.auth == "citizen" or self.scope:
            implied.append(Forbidden)
        if self.body or self.headers:
            implied.append(BadRequest)
        implied.append(PayloadTooLarge)  # the middleware refuses any body over 64 KiB, on every route
        if self.body or self.query:
            implied.append(ValidationFailed)
        implied.append(Unavailable)
        return tuple(dict.fromkeys(implied))


def model(name: str) -> Any:
    """The pydantic model called ``name`` in ``shared.contract``."""
    for module in MODULES:
        found = getattr(import_module(module), name, None)
        if found is not None:
            return found
    raise LookupError(f"no contract model named {name}")


def document(operations: list[Operation], *, description: str = "") -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``operations`` (deterministic: paths sorted, schemas by name)."""
    from pydantic.json_schema import models_json_schema

    wanted = [(model(op.body), "validation") for op in operations if op.body]
    wanted += [(model(op.answer[1]), "serialization") for op in operations]
    wanted.append((model(ERROR), "serialization"))
    refs, defs = models_json_schema(list(dict.fromkeys(wanted)), ref_template=_REF)
    ref = {(m.__name__, mode): r for (m, mode), r in refs.items()}
    paths: dict[str, dict[str, Any]] = {}
    known = {f"{op.method} {op.path}" for op in operations}
    for op in sorted(operations, key=lambda o: (o.path, o.method)):
        missing = [link.target for link in op.links if link.target not in known]
        if missing:
            raise LookupError(f"{op.method} {op.path} links to undeclared {missing}")
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, ref)
    tags = sorted({op.tag for op in operations})
    return {
        "openapi": "3.1.0",
        "info": {"title": "Minqing 民情直通车", "version": VERSION, "description": description},
        "tags": [{"name": t} for t in tags],
        "paths": paths,
        "components": {"schemas": dict(sorted(defs.get("$defs", {}).items())),
                       "securitySchemes": _security_schemes()},
    }


def _operation(op: Operation, ref: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    status, answer = op.answer
    out: dict[str, Any] = {
        "operationId": operation_id(op.method, op.path),
        "summary": op.summary, "tags": [op.tag], "security": _security(op.auth),
        **({"description": model(op.query).__doc__.strip()} if op.query else {}),
        **({"x-minqing-scope": op.scope} if op.scope else {}),
        "parameters": _path_parameters(op.path) + _header_parameters(op) + _query_parameters(op),
    }
    if op.body:
        out["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": ref[(op.body, "validation")]}}}
    responses: dict[str, Any] = {str(status): {"description": model(answer).__doc__.strip().splitlines()[0],
                                               "content": {"application/json": {
                                                   "schema": ref[(answer, "serialization")]}}}}
    if op.links:
        responses[str(status)]["links"] = {
            operation_id(*link.target.split(" ", 1)): {
                "operationId": operation_id(*link.target.split(" ", 1)),
                "parameters": {link.parameter: f"$response.body#/{link.pointer}"}} for link in op.links}
    for code, errors in _by_status(op.implied_errors()).items():
        meaning = "; ".join(f"`{e.code}`: {e.__doc__.strip().splitlines()[0]}" for e in errors)
        responses[str(code)] = {"description": meaning,
                                "content": {"application/json": {"schema": ref[(ERROR, "serialization")]}}}
        if code == 429:
            responses[str(code)]["headers"] = {"Retry-After": {
                "required": True, "description": "seconds to wait", "schema": {"type": "string"}}}
    out["responses"] = dict(sorted(responses.items()))
    if not out["parameters"]:
        del out["parameters"]
    return out


def _by_status(errors: tuple[type[MinqingError], ...]) -> dict[int, list[type[MinqingError]]]:
    grouped: dict[int, list[type[MinqingError]]] = {}
    for error in errors:
        grouped.setdefault(error.status, []).append(error)
    return grouped


def _path_parameters(path: str) -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
            for name in re.findall(r"{(\w+)}", path)]


def _header_parameters(op: Operation) -> list[dict[str, Any]]:
    return [{"name": name, "in": "header", "required": True, "description": meaning,
             "schema": {"type": "string", "minLength": 1, "maxLength": 128}} for name, meaning in op.headers]


def _query_parameters(op: Operation) -> list[dict[str, Any]]:
    if not op.query:
        return []
    schema = model(op.query).model_json_schema(by_alias=True)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        if "anyOf" in prop:  # ``X | None``: optional in a query string is absence, not null
            options = [o for o in prop.pop("anyOf") if o.get("type") != "null"]
            prop.pop("default", None)
            prop.update(options[0] if len(options) == 1 else {"anyOf": options})
        if "$ref" in prop:
            prop = dict(schema["$defs"][prop.pop("$ref").rsplit("/", 1)[1]], **prop)
            prop.pop("title", None)
            prop.pop("description", None)
        params.append({"name": name, "in": "query", "required": name in required, "schema": prop,
                       **({"description": description} if description else {})})
    return params


def _security(auth: str | None) -> list[dict[str, list[str]]]:
    if auth in ("citizen", "account"):
        return [{BEARER: []}]
    if auth == "backend":
        return [{name: [] for name in BACKEND}, {name: [] for name in (*BACKEND, "MinqingKeyId")}]
    return []


def _security_schemes() -> dict[str, Any]:
    recipe = ("hex(HMAC-SHA256(key, timestamp + \"\\n\" + nonce + \"\\n\" + METHOD + \"\\n\" + path_and_query "
              "+ \"\\n\" + body)) — all three headers together; see docs/backend-signing.md")
    return {
        BEARER: {"type": "http", "scheme": "bearer",
                 "description": "the session token a channel login answers (2 h); routes of a bound citizen "
                                "answer 403 to an account not yet bound"},
        "MinqingTimestamp": {"type": "apiKey", "in": "header", "name": "X-Minqing-Timestamp",
                             "description": "unix seconds, within 300 s of Minqing's clock"},
        "MinqingNonce": {"type": "apiKey", "in": "header", "name": "X-Minqing-Nonce",
                         "description": "8-64 of [A-Za-z0-9_-], fresh per request (a replay is 401)"},
        "MinqingSignature": {"type": "apiKey", "in": "header", "name": "X-Minqing-Signature",
                             "description": recipe},
        "MinqingKeyId": {"type": "apiKey", "in": "header", "name": "X-Minqing-Key-Id",
                         "description": "a scoped key's id (mk_…), signing with that key's secret instead of the "
                                        "default key; the operation's x-minqing-scope must be among its scopes "
                                        "(403 otherwise), a revoked or unknown key is 401"},
    }
