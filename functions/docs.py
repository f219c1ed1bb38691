"""The published contract: ``GET /openapi.json`` (OpenAPI 3.1, generated from the routes' declarations and
models) and ``GET /docs`` (the same, as one readable page in zh-CN or en; no script, no external asset)."""

from __future__ import annotations

import functools
import json
from typing import Any

from chalice import Blueprint, Response

from functions.web import OPERATIONS, asked_path, request, route

bp = Blueprint(__name__)


def openapi_document() -> dict[str, Any]:
    """The document of every declared operation (a fresh copy: callers may change it)."""
    return json.loads(openapi_text())


@functools.cache
def openapi_text() -> str:
    """The document as served and as committed under ``docs/openapi.json``, built once per container."""
    from shared.openapi import DESCRIPTION, document

    return json.dumps(document(OPERATIONS, description=DESCRIPTION), ensure_ascii=False, indent=2) + "\n"


@route(bp, "/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of every /v1 and /backend/v1 route."""
    return Response(openapi_text(), headers={"Content-Type": "application/json; charset=utf-8",
                                            "Cache-Control": "public, max-age=300"})


@route(bp, "/docs")
def docs() -> Response:
    """The contract as a page (``?lang=en`` or the browser's language)."""
    from shared.api_docs_page import choose_language

    req = request(bp)
    lang = choose_language((req.query_params or {}).get("lang"), req.headers.get("accept-language"))
    base = "../" if asked_path(req).endswith("/") else ""  # asked as /docs/: relative links climb one level
    return Response(docs_page(lang, base), headers={
        "Content-Type": "text/html; charset=utf-8", "Content-Language": lang, "Vary": "Accept-Language",
        "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                                   "form-action 'none'; frame-ancestors 'none'"})


@functools.cache
def docs_page(lang: str, base: str) -> str:
    """The /docs page in ``lang``, rendered once per container."""
    from shared.api_docs_page import render

    return render(openapi_document(), lang, base)
