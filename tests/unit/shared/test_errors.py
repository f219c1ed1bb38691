"""The error tree: statuses, codes, headers and the contract's error body."""

from __future__ import annotations

import pytest

from shared.errors import (
    AlreadyRated,
    BadRequest,
    Conflict,
    Forbidden,
    IdempotencyConflict,
    InvalidTransition,
    MinqingError,
    NotFound,
    NotRatable,
    OtpInvalid,
    PayloadTooLarge,
    RateLimited,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)

CASES = [
    (MinqingError(), 500, "internal"),
    (BadRequest(), 400, "bad_request"),
    (Unauthorized(), 401, "unauthorized"),
    (OtpInvalid(), 401, "otp_invalid"),
    (Forbidden(), 403, "forbidden"),
    (NotFound(), 404, "not_found"),
    (Conflict(), 409, "conflict"),
    (InvalidTransition("completed", "in_review"), 409, "conflict"),
    (AlreadyRated(), 409, "already_rated"),
    (NotRatable(), 409, "not_ratable"),
    (IdempotencyConflict(), 409, "idempotency_conflict"),
    (PayloadTooLarge(), 413, "payload_too_large"),
    (ValidationFailed(), 422, "validation_error"),
    (RateLimited(30), 429, "rate_limited"),
    (Unavailable(), 503, "unavailable"),
]


@pytest.mark.parametrize(("error", "status", "code"), CASES, ids=[type(e).__name__ for e, _, _ in CASES])
def test_each_error_carries_its_contract_status_and_code(error: MinqingError, status: int, code: str) -> None:
    assert (error.status, error.code) == (status, code)
    assert error.to_body()["error"]["code"] == code


@pytest.mark.parametrize("error", [e for e, _, _ in CASES if not isinstance(e, RateLimited)],
                         ids=lambda e: type(e).__name__)
def test_errors_other_than_rate_limited_ask_for_no_extra_headers(error: MinqingError) -> None:
    assert error.headers() == {}


def test_rate_limited_sets_retry_after() -> None:
    assert RateLimited(60).headers() == {"Retry-After": "60"}


def test_rate_limited_never_asks_to_retry_sooner_than_one_second() -> None:
    assert RateLimited(0).headers() == {"Retry-After": "1"}
    assert RateLimited(-5).headers() == {"Retry-After": "1"}


def test_the_body_has_code_message_and_details() -> None:
    error = ValidationFailed("bad form", [{"field": "phone", "message": "not a mainland mobile"}])
    assert error.to_body() == {"error": {"code": "validation_error", "message": "bad form",
                                         "details": [{"field": "phone", "message": "not a mainland mobile"}]}}


def test_a_default_message_and_empty_details_are_used_when_none_given() -> None:
    assert NotFound().to_body() == {"error": {"code": "not_found", "message": "not found", "details": []}}


def test_validation_failed_for_one_field_lists_it_in_details() -> None:
    error = ValidationFailed.field("id_number", "checksum does not match")
    assert error.status == 422
    assert error.to_body()["error"]["details"] == [{"field": "id_number", "message": "checksum does not match"}]
    assert "id_number" in error.to_body()["error"]["message"]


def test_an_invalid_transition_names_both_statuses_and_is_a_conflict() -> None:
    error = InvalidTransition("completed", "in_review")
    assert isinstance(error, Conflict)
    body = error.to_body()["error"]
    assert "completed" in body["message"] and "in_review" in body["message"]
    assert body["details"] == [{"field": "status", "message": "current status is completed"}]


def test_otp_invalid_is_caught_as_unauthorized() -> None:
    with pytest.raises(Unauthorized):
        raise OtpInvalid()


def test_str_of_an_error_is_its_message() -> None:
    assert str(Forbidden("unbound account")) == "unbound account"
