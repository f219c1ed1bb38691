"""The built-in approval backend's seeded catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.approval.builtin import DEFAULT_CATALOGUE, BuiltinApprovalBackend


@pytest.fixture(scope="module")
def backend() -> BuiltinApprovalBackend:
    return BuiltinApprovalBackend()


def test_the_catalogue_has_at_least_sixty_items(backend: BuiltinApprovalBackend) -> None:
    assert len(backend.catalogue()) >= 60


def test_every_item_says_what_to_bring_where_when_what_it_costs_and_how_long(backend: BuiltinApprovalBackend) -> None:
    for item in backend.catalogue():
        assert item.materials and all(m.strip() for m in item.materials), item.code
        assert item.location.strip() and item.hours.strip() and item.fee.strip(), item.code
        assert item.name_en.strip() and item.description.strip(), item.code
        assert item.legal_days is not None and item.legal_days >= item.promised_days, item.code


LIFE_EVENTS = ["居住证", "身份证换领", "身份证挂失|身份证补领", "出生登记|新生儿|入户", "户口迁移|迁移", "个体工商户",
               "食品经营许可", "结婚登记", "残疾人证", "养老保险", "医疗保险|医保", "异地就医", "不动产", "生育登记",
               "健康证明", "入学", "驾驶证", "优待证", "失业登记", "失业保险金", "最低生活保障|低保", "临时救助",
               "高龄津贴", "宅基地", "老年人优待", "居住证明", "家庭经济困难", "死亡|户口注销", "丧葬"]


@pytest.mark.parametrize("event", LIFE_EVENTS)
def test_the_life_events_citizens_ask_about_have_an_item(backend: BuiltinApprovalBackend, event: str) -> None:
    import re

    assert any(re.search(event, item.name) for item in backend.catalogue()), event


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
