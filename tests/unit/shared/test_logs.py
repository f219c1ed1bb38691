"""JSON logs: PII scrubbed from messages, extras and tracebacks; correlation id on every line."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from shared.logs import JsonFormatter, configure, correlation_id, scrub


@pytest.mark.parametrize(("text", "expected"), [
    ("id 11010519491231002X ok", "id 110***********002X ok"),
    ("id 11010519491231002x ok", "id 110***********002x ok"),
    ("id 440524188001010014", "id 440***********0014"),
    ("身份证11010519491231002X已核验", "身份证110***********002X已核验"),
])
def test_scrub_masks_id_numbers(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize("phone", ["13800001234", "+8613800001234", "8613800001234"])
def test_scrub_masks_mobiles_with_or_without_country_code(phone: str) -> None:
    assert scrub(f"sent to {phone}.") == "sent to 138****1234."


def test_scrub_masks_every_occurrence() -> None:
    out = scrub("a=13800001234 b=13900005678 id=11010519491231002X")
    assert out == "a=138****1234 b=139****5678 id=110***********002X"


@pytest.mark.parametrize("number", ["SB20260928123456", "TS20260928138001", "ZG20260928ABCDEF12"])
def test_scrub_leaves_order_numbers_intact(number: str) -> None:
    assert scrub(f"application {number} completed") == f"application {number} completed"


def test_scrub_leaves_other_long_numbers_alone() -> None:
    text = "epoch 1790000000 ms 1790000000123 amount 12800138000"
    assert scrub(text) == text


def _record(msg: str, *args: Any, extra: dict[str, Any] | None = None, exc_info: Any = None) -> logging.LogRecord:
    return logging.getLogger("minqing.test").makeRecord(
        "minqing.test", logging.INFO, __file__, 1, msg, args, exc_info, extra=extra)


def test_formatter_writes_one_json_object_with_the_standard_fields() -> None:
    out = json.loads(JsonFormatter().format(_record("hello %s", "world")))
    assert out["message"] == "hello world"
    assert out["level"] == "INFO"
    assert out["logger"] == "minqing.test"
    assert out["time"].endswith("+00:00")
    assert out["correlation_id"] == "-"


def test_formatter_carries_the_current_correlation_id() -> None:
    token = correlation_id.set("req-42")
    try:
        out = json.loads(JsonFormatter().format(_record("x")))
    finally:
        correlation_id.reset(token)
    assert out["correlation_id"] == "req-42"


def test_formatter_masks_pii_in_the_interpolated_message() -> None:
    line = JsonFormatter().format(_record("bind %s to %s", "11010519491231002X", "+8613800001234"))
    assert "11010519491231002X" not in line
    assert "13800001234" not in line
    assert json.loads(line)["message"] == "bind 110***********002X to 138****1234"


def test_formatter_masks_pii_in_extras_nested_in_dicts_and_lists() -> None:
    extra = {"citizen": {"id": "11010519491231002X", "phones": ["13800001234", ("+8613900005678",)]},
             "count": 3, "application_no": "SB20260928123456"}
    line = JsonFormatter().format(_record("x", extra=extra))
    out = json.loads(line)
    assert out["citizen"] == {"id": "110***********002X", "phones": ["138****1234", ["139****5678"]]}
    assert out["count"] == 3
    assert out["application_no"] == "SB20260928123456"
    for raw in ("11010519491231002X", "13800001234", "13900005678"):
        assert raw not in line


def test_formatter_masks_pii_in_tracebacks() -> None:
    try:
        raise ValueError("bad id 11010519491231002X")
    except ValueError:
        record = _record("failed", exc_info=sys.exc_info())
    out = json.loads(JsonFormatter().format(record))
    assert "ValueError: bad id 110***********002X" in out["exception"]
    assert "11010519491231002X" not in json.dumps(out)


def test_formatter_keeps_chinese_readable() -> None:
    line = JsonFormatter().format(_record("办结通知已发送"))
    assert "办结通知已发送" in line


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    streams = {h: h.stream for h in handlers if isinstance(h, logging.StreamHandler)}
    disabled = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    yield root
    logging.disable(disabled)
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    for handler, stream in streams.items():
        handler.setStream(stream)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


def test_configure_sends_masked_json_lines_to_the_stream(root_logger: logging.Logger) -> None:
    stream = io.StringIO()
    configure("info", stream=stream)
    logging.getLogger("minqing.app").info("otp sent to %s", "13800001234", extra={"citizen": "11010519491231002X"})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out["message"] == "otp sent to 138****1234"
    assert out["citizen"] == "110***********002X"


def test_configure_twice_does_not_duplicate_lines(root_logger: logging.Logger) -> None:
    stream = io.StringIO()
    configure("INFO", stream=stream)
    configure("INFO", stream=stream)
    logging.getLogger("minqing.app").warning("once")
    assert len(stream.getvalue().splitlines()) == 1


def test_configure_honours_the_level(root_logger: logging.Logger) -> None:
    stream = io.StringIO()
    configure("WARNING", stream=stream)
    logging.getLogger("minqing.app").info("hidden")
    logging.getLogger("minqing.app").warning("shown")
    assert [json.loads(line)["message"] for line in stream.getvalue().splitlines()] == ["shown"]


@pytest.mark.parametrize("phone", ["138 0013 8000", "138-0013-8000", "+86 13800138000", "+86-138-0013-8000"])
def test_scrub_masks_mobiles_written_with_separators(phone: str) -> None:
    assert scrub(f"电话{phone}。") == "电话138****8000。"


def test_scrub_masks_an_id_number_glued_to_letters() -> None:
    assert scrub("ID11010519491231002X") == "ID110***********002X"
