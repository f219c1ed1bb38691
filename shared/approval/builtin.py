"""The embedded approval backend: a seeded catalogue (data file) and Minqing's own lifecycle.

A county with its own approval system replaces this with an adapter implementing
``shared.ports.ApprovalBackend`` that forwards submissions; status changes come back through
``POST /backend/v1/applications/{no}/events`` either way.
"""

from __future__ import annotations

import json
from pathlib import Path

from shared.contract.records import Application, CatalogueItem

DEFAULT_CATALOGUE = Path(__file__).with_name("catalogue.json")


class BuiltinApprovalBackend:
    """Catalogue from a JSON file; the lifecycle is driven by operators via the backend API."""

    def __init__(self, catalogue_path: Path = DEFAULT_CATALOGUE):
        data = json.loads(catalogue_path.read_text(encoding="utf-8"))
        self._items = [CatalogueItem.model_validate(raw) for raw in data["items"]]
        self._by_code = {item.code: item for item in self._items}
        self._areas = {a["township"]: list(a["villages"]) for a in data.get("areas", [])}
        if len(self._by_code) != len(self._items):
            raise ValueError(f"duplicate item codes in {catalogue_path}")

    def catalogue(self) -> list[CatalogueItem]:
        """Every item, in file order."""
        return list(self._items)

    def item(self, code: str) -> CatalogueItem | None:
        """One item by code."""
        return self._by_code.get(code)

    def areas(self) -> dict[str, list[str]]:
        """The county's townships (乡镇/街道), each with its villages (村/社区), in file order."""
        return {t: list(v) for t, v in self._areas.items()}

    def submitted(self, application: Application) -> None:
        """Nothing to forward: the built-in backend is Minqing's own table."""
