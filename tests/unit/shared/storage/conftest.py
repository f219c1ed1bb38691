"""Every storage contract test runs on both adapters: in memory and on DynamoDB (moto)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shared.storage.dynamo import Table
from shared.storage.dynamo_unit import DynamoUnitOfWork
from shared.storage.memory import MemoryStore
from shared.storage.ports import UnitOfWork


@pytest.fixture(params=["memory", "dynamodb"])
def uow(request: pytest.FixtureRequest) -> Callable[[], UnitOfWork]:
    if request.param == "memory":
        return MemoryStore().unit_of_work
    table: Table = request.getfixturevalue("table")
    return lambda: DynamoUnitOfWork(table)
