"""GB 11643 ID numbers, mainland mobiles, keyed hashes and de-identification masks."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from shared.personal_data import keyed_hash, mask_id, mask_name, mask_phone, normalize_id_number, normalize_phone

VALID_ID = "11010519491231002X"


def _check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2, written independently of the module under test."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _with_check(first17: str) -> str:
    return first17 + _check_char(first17)


def test_accepts_a_valid_id_number() -> None:
    assert normalize_id_number(VALID_ID) == VALID_ID


def test_accepts_a_lower_case_check_character_and_upper_cases_it() -> None:
    assert normalize_id_number("11010519491231002x") == VALID_ID


def test_strips_surrounding_whitespace_from_an_id_number() -> None:
    assert normalize_id_number(f"  {VALID_ID}\n") == VALID_ID


def test_accepts_another_valid_id_number_with_a_digit_check_character() -> None:
    assert normalize_id_number("440524188001010014") == "440524188001010014"


@pytest.mark.parametrize("wrong", ["0", "1", "9"])
def test_rejects_an_id_number_with_a_wrong_check_character(wrong: str) -> None:
    assert normalize_id_number(VALID_ID[:17] + wrong) is None


def test_rejects_an_impossible_birth_date_even_with_a_correct_checksum() -> None:
    feb_30 = _with_check("11010519490230002")
    assert normalize_id_number(feb_30) is None


def test_rejects_a_birth_date_in_the_future() -> None:
    assert normalize_id_number(_with_check("11010520990101002")) is None


def test_rejects_a_birth_year_before_1880() -> None:
    assert normalize_id_number(_with_check("11010518791231002")) is None


@pytest.mark.parametrize("raw", ["", "11010519491231002", "11010519491231002X1", "1101051949123100ZX", "abc"])
def test_rejects_malformed_id_numbers(raw: str) -> None:
    assert normalize_id_number(raw) is None


@pytest.mark.parametrize("raw", [
    "13800138000", "+8613800138000", "8613800138000", "138 0013 8000", "138-0013-8000", "+86 138-0013-8000",
])
def test_normalizes_mainland_mobiles_to_plus_86(raw: str) -> None:
    assert normalize_phone(raw) == "+8613800138000"


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380001", "+8512800138000", "", "phone"])
def test_rejects_numbers_that_are_not_mainland_mobiles(raw: str) -> None:
    assert normalize_phone(raw) is None


def test_masks_an_id_number_keeping_the_first_three_and_last_four() -> None:
    assert mask_id(VALID_ID) == "110***********002X"


def test_masks_a_phone_given_with_or_without_plus_86() -> None:
    assert mask_phone("+8613800001234") == "138****1234"
    assert mask_phone("13800001234") == "138****1234"


def test_masks_a_name_keeping_only_the_first_character() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("张三丰") == "张**"


def test_keyed_hash_is_hmac_sha256_of_the_value_under_the_pepper() -> None:
    expected = hmac.new(b"pepper-one", VALID_ID.encode(), hashlib.sha256).hexdigest()
    assert keyed_hash("pepper-one", VALID_ID) == expected


def test_keyed_hash_is_stable_for_the_same_pepper() -> None:
    assert keyed_hash("pepper-one", VALID_ID) == keyed_hash("pepper-one", VALID_ID)


def test_keyed_hash_differs_per_pepper() -> None:
    assert keyed_hash("pepper-one", VALID_ID) != keyed_hash("pepper-two", VALID_ID)


def test_keyed_hash_does_not_reveal_the_id_number() -> None:
    assert VALID_ID.lower() not in keyed_hash("pepper-one", VALID_ID)
    assert "19491231" not in keyed_hash("pepper-one", VALID_ID)
