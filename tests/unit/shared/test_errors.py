"""The error tree: statuses, codes, headers and the contract's error body."""

from __future__ import annotations

import re
from pathlib import Path

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

ROOT = Path(__file__).resolve().parents[3]
CASES = [
    MinqingError(), BadRequest(), Unauthorized(), OtpInvalid(), Forbidden(), NotFound(), Conflict(),
    InvalidTransition("completed", "in_review"), AlreadyRated(), NotRatable(), IdempotencyConflict(),
    PayloadTooLarge(), ValidationFailed(), RateLimited(30), Unavailable(),
]


def _contract_codes() -> dict[str, int]:
    """``{code: status}`` as docs/contract.md's error table and its named specific codes say."""
    text = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    codes = {code: int(status) for status, code in re.findall(r"^\| (\d{3}) \| `(\w+)` \|", text, re.M)}
    for status, code in re.findall(r"(\d{3}) `(\w+)`", text):
        codes.setdefault(code, int(status))
    return codes


@pytest.mark.parametrize("error", [e for e in CASES if type(e) is not MinqingError], ids=lambda e: type(e).__name__)
def test_every_error_answers_a_status_and_code_the_contract_documents(error: MinqingError) -> None:
    codes = _contract_codes()
    assert codes.get(error.code) == error.status, f"{error.code} is not documented with {error.status}"
    assert error.to_body()["error"]["code"] == error.code


@pytest.mark.parametrize("error", CASES, ids=lambda e: type(e).__name__)
def test_the_tree_in_the_module_docstring_draws_every_error_as_it_is(error: MinqingError) -> None:
    import shared.errors

    line = f"{type(error).__name__} {error.status} {error.code}"
    drawn = {" ".join(re.sub(r"[│├└─]", " ", row).split()[:3]) for row in (shared.errors.__doc__ or "").splitlines()}
    assert line in drawn


@pytest.mark.parametrize("error", [e for e in CASES if not isinstance(e, RateLimited)],
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


def test_str_of_an_error_is_its_message() -> None:
    assert str(Forbidden("unbound account")) == "unbound account"
