"""Fixtures: moto-backed AWS, the table from the infra template, services wired with fakes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import boto3
import pytest
from chalice.test import Client
from moto import mock_aws

from functions.bootstrap import Services, bootstrap, install
from infra.world.server import World, serve
from shared.clock import CST, FixedClock
from shared.config import Settings
from shared.storage.dynamo import Table
from tests.helpers import Api, FakeQueue, FakeSms, table_spec

REGION = "cn-north-1"


@pytest.fixture(autouse=True)
def _aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture
def aws() -> Iterator[boto3.session.Session]:
    with mock_aws():
        yield boto3.session.Session(region_name=REGION)


@pytest.fixture
def settings() -> Settings:
    return Settings(stage="test", session_key="test-session-key-0123456789abcdef",
                    backend_hmac_key="test-backend-hmac-key", id_pepper="test-pepper-0123456789",
                    table="minqing-test", wechat_oa_token="minqinglocal", wechat_oa_appid="wxlocal0a0000000001",
                    wechat_oa_aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                    templates={"wechat_mini": {"completion": "TPL-DONE", "supplement_required": "TPL-SUPP"}})


class AtomicRequests:
    """DynamoDB applies each request atomically (a transaction is isolated); moto, called from
    several threads, interleaves the writes of one request. This proxy restores the service's
    guarantee — one request at a time — so races are tested at request granularity."""

    def __init__(self, client: Any):
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attr(*args, **kwargs)
        return call


@pytest.fixture
def table(aws: boto3.session.Session) -> Table:
    client = aws.client("dynamodb")
    client.create_table(**table_spec("test"))
    return Table(AtomicRequests(client), "minqing-test")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 9, 28, 10, 0, tzinfo=CST))


@pytest.fixture
def sms() -> FakeSms:
    return FakeSms()


@pytest.fixture
def queue() -> FakeQueue:
    return FakeQueue()


@pytest.fixture
def svc(aws: boto3.session.Session, table: Table, settings: Settings, sms: FakeSms, queue: FakeQueue,
        clock: FixedClock) -> Iterator[Services]:
    built = bootstrap(settings, session=aws, dynamodb=table.client, sms=sms, queue=queue, clock=clock)
    install(built)
    yield built
    install(None)


@pytest.fixture
def api(svc: Services, sms: FakeSms) -> Iterator[Api]:
    from app import app

    with Client(app) as client:
        yield Api(client, svc, sms)


@pytest.fixture
def world() -> Iterator[tuple[World, str]]:
    """The local world on a free port: ``(world, base URL)``."""
    w = World()
    server = serve(w, port=0)
    yield w, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright, one per test process (browser and e2e tests share it); its absence
    fails the run (never a skip)."""
    from tests.browser.conftest import CHROMIUM, FLAGS

    assert CHROMIUM.exists(), "Chromium is missing: `apt-get install chromium` (make test does it when root)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        launched = play.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()
