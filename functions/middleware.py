"""HTTP middleware: correlation ids, the 64 KiB limit and Chalice's own errors in the contract's shape."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from chalice import Blueprint, Response
from chalice.app import Request

from functions.web import MAX_BODY, error_response
from shared.errors import BadRequest, MinqingError, PayloadTooLarge
from shared.logs import correlation_id

bp = Blueprint(__name__)
log = logging.getLogger(__name__)

_CHALICE_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                  405: "method_not_allowed", 409: "conflict", 415: "bad_request", 422: "validation_error",
                  429: "rate_limited", 500: "internal"}


@bp.middleware("http")
def contract(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Run one request with a correlation id and contract-shaped errors."""
    cid = event.headers.get("x-correlation-id") or event.context.get("requestId") or uuid.uuid4().hex
    token = correlation_id.set(cid[:64])
    try:
        body = event.raw_body or b""
        too_large = len(body) > MAX_BODY
        response = error_response(PayloadTooLarge()) if too_large else _reshape(get_response(event))
        response.headers["X-Correlation-Id"] = correlation_id.get()
        log.info("request", extra={"method": event.method, "route": event.path, "status": response.status_code})
        return response
    finally:
        correlation_id.reset(token)


def _reshape(response: Response) -> Response:
    """Chalice's ``{"Code","Message"}`` errors (415, 405, 500…) become the contract's shape."""
    body = response.body
    if isinstance(body, dict) and set(body) == {"Code", "Message"} and response.status_code >= 400:
        status = 400 if response.status_code == 415 else response.status_code
        exc = BadRequest("Content-Type must be application/json") if response.status_code == 415 \
            else _error(status, _CHALICE_CODES.get(status, "internal"), str(body["Message"]))
        out = error_response(exc)
        out.headers.update({k: v for k, v in response.headers.items() if k.lower() != "content-type"})
        return out
    return response


def _error(status: int, code: str, message: str) -> MinqingError:
    exc = MinqingError(message)
    exc.status, exc.code = status, code
    return exc

