"""The one error tree of Minqing, each leaf carrying its HTTP status and contract code.

Every failure a citizen, a channel or the backend can see is one of these; the entry
points render them as ``{"error": {"code", "message", "details"}}`` (see docs/contract.md).

    MinqingError                      500 internal (a bug if ever seen)
    ├── BadRequest                    400 bad_request
    ├── Unauthorized                  401 unauthorized
    │   └── OtpInvalid                401 otp_invalid
    ├── Forbidden                     403 forbidden
    │   └── NotBound                  403 forbidden (the account is not bound to a citizen yet)
    ├── NotFound                      404 not_found
    ├── Conflict                      409 conflict
    │   ├── InvalidTransition         409 conflict
    │   ├── AlreadyRated              409 already_rated
    │   ├── NotRatable                409 not_ratable
    │   └── IdempotencyConflict       409 idempotency_conflict
    ├── PayloadTooLarge               413 payload_too_large
    ├── ValidationFailed              422 validation_error
    ├── RateLimited                   429 rate_limited (+ Retry-After)
    └── Unavailable                   503 unavailable
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")


class MinqingError(Exception):
    """Base of every Minqing error; never raised directly."""

    status: int = 500
    code: str = "internal"
    default_message: str = "internal error"

    def __init__(self, message: str | None = None, details: list[dict[str, Any]] | None = None):
        self.message = message or self.default_message
        self.details = details or []
        super().__init__(self.message)

    def headers(self) -> dict[str, str]:
        """Extra response headers this error asks for."""
        return {}

    def to_body(self) -> dict[str, Any]:
        """The contract's error body."""
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class BadRequest(MinqingError):
    """Malformed JSON, missing body, wrong content type, missing required header."""

    status, code, default_message = 400, "bad_request", "malformed request"


class Unauthorized(MinqingError):
    """Missing, expired or forged token or signature; replayed request."""

    status, code, default_message = 401, "unauthorized", "authentication required"


class OtpInvalid(Unauthorized):
    """Wrong, expired or exhausted one-time code."""

    code, default_message = "otp_invalid", "verification code is wrong or expired"


class Forbidden(MinqingError):
    """Authenticated but not allowed (e.g. an unbound channel account)."""

    status, code, default_message = 403, "forbidden", "not allowed"


class NotBound(Forbidden):
    """A channel account (or phone) not bound to a citizen yet: binding is the way in."""


class NotFound(MinqingError):
    """Unknown resource, or one that belongs to another citizen."""

    status, code, default_message = 404, "not_found", "not found"


class Conflict(MinqingError):
    """The request conflicts with the resource's current state."""

    status, code, default_message = 409, "conflict", "conflict"


class InvalidTransition(Conflict):
    """A status change the state machine does not allow."""

    def __init__(self, current: str, target: str):
        super().__init__(f"cannot go from {current} to {target}",
                         [{"field": "status", "message": f"current status is {current}"}])


class AlreadyRated(Conflict):
    """One rating per application (一事一评)."""

    code, default_message = "already_rated", "this application has already been rated"


class NotRatable(Conflict):
    """Rating before completion or after the rating window."""

    code, default_message = "not_ratable", "this application cannot be rated now"


class IdempotencyConflict(Conflict):
    """An Idempotency-Key reused with another body."""

    code, default_message = "idempotency_conflict", "Idempotency-Key was used with another body"


class PayloadTooLarge(MinqingError):
    """Body over 64 KiB."""

    status, code, default_message = 413, "payload_too_large", "body exceeds 64 KiB"


class ValidationFailed(MinqingError):
    """Well-formed but invalid input; ``details`` lists the fields."""

    status, code, default_message = 422, "validation_error", "invalid input"

    @classmethod
    def field(cls, field: str, message: str) -> ValidationFailed:
        """One invalid field."""
        return cls(f"{field}: {message}", [{"field": field, "message": message}])

    @classmethod
    def from_pydantic(cls, exc: Any, message: str = "invalid input", whole: str = "body") -> ValidationFailed:
        """A pydantic ``ValidationError`` as the contract's 422: one detail per refused field (``whole`` names a
        rule about them all); the refused values are never echoed."""
        return cls(message, [{"field": ".".join(str(p) for p in err["loc"]) or whole, "message": err["msg"]}
                             for err in exc.errors(include_input=False, include_url=False)])

    @classmethod
    def check(cls, model: type[M], payload: Any, whole: str = "body", message: str = "invalid input") -> M:
        """``payload`` as ``model``, or the 422 naming each refused field — the one way input becomes a command
        or query (route bodies and queries, page forms, console steps), never a 500."""
        from pydantic import ValidationError

        try:
            return model.model_validate(payload)
        except ValidationError as exc:
            raise cls.from_pydantic(exc, message, whole) from None


class RateLimited(MinqingError):
    """A per-phone or per-account limit was hit."""

    status, code, default_message = 429, "rate_limited", "too many requests"

    def __init__(self, retry_after: int, message: str | None = None):
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))

    def headers(self) -> dict[str, str]:
        """Tell the client when to come back."""
        return {"Retry-After": str(self.retry_after)}


class Unavailable(MinqingError):
    """A dependency is down; nothing was half-written."""

    status, code, default_message = 503, "unavailable", "a dependency is unavailable, try again"
