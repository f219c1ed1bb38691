"""The built-in approval backend's seeded catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.approval.builtin import DEFAULT_CATALOGUE, BuiltinApprovalBackend


@pytest.fixture(scope="module")
def backend() -> BuiltinApprovalBackend:
    return BuiltinApprovalBackend()


def test_the_catalogue_has_at_least_twelve_items(backend: BuiltinApprovalBackend) -> None:
    assert len(backend.catalogue()) >= 12


def test_the_catalogue_covers_all_three_tiers(backend: BuiltinApprovalBackend) -> None:
    assert {item.tier for item in backend.catalogue()} == {"county", "township", "village"}


def test_item_codes_are_unique_in_the_data_file() -> None:
    codes = [raw["code"] for raw in json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))["items"]]
    assert len(codes) == len(set(codes))


def test_every_item_asks_for_at_least_one_required_field(backend: BuiltinApprovalBackend) -> None:
    lacking = [item.code for item in backend.catalogue() if not any(f.required for f in item.fields)]
    assert lacking == []


def test_every_item_has_a_name_a_department_and_a_positive_deadline(backend: BuiltinApprovalBackend) -> None:
    for item in backend.catalogue():
        assert item.name.strip() and item.department.strip(), item.code
        assert item.promised_days >= 1, item.code


def test_field_names_are_unique_within_each_item(backend: BuiltinApprovalBackend) -> None:
    for item in backend.catalogue():
        names = [f.name for f in item.fields]
        assert len(names) == len(set(names)), item.code


def test_an_item_is_found_by_its_code(backend: BuiltinApprovalBackend) -> None:
    first = backend.catalogue()[0]
    assert backend.item(first.code) == first
    assert backend.item("NO-SUCH-ITEM") is None


def test_the_catalogue_keeps_file_order(backend: BuiltinApprovalBackend) -> None:
    codes = [raw["code"] for raw in json.loads(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))["items"]]
    assert [item.code for item in backend.catalogue()] == codes


def test_a_catalogue_file_with_a_duplicate_code_is_refused(tmp_path: Path) -> None:
    item = {"code": "X-1", "name": "n", "department": "d", "tier": "county", "promised_days": 1,
            "fields": [{"name": "a", "label": "A"}]}
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps({"items": [item, item]}), encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        BuiltinApprovalBackend(path)
