"""Structured JSON logs with a correlation id per request and PII scrubbed on the way out.

Every record passes ``MaskingFilter``: resident ID numbers and mainland mobiles anywhere in
the message or extra fields are masked (GB/T 35273 §7.2), whatever the caller forgot.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from shared.personal_data import mask_personal

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")

_STD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def scrub(text: str) -> str:
    """Mask every ID number and mobile number in ``text``."""
    return mask_personal(text)


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    return value


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, correlation id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as masked JSON."""
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": scrub(record.getMessage()),
            "correlation_id": correlation_id.get(),
        }
        for key, value in vars(record).items():
            if key not in _STD and (not key.startswith("_") or key == "_aws"):  # _aws: EMF metrics
                out[key] = _scrub_value(value)
        if record.exc_info:
            out["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False, default=str)


def configure(level: str = "INFO", stream: Any = None) -> None:
    """Install the JSON formatter on the root logger (idempotent)."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "_minqing", False)), None)
    if handler is None:
        handler = logging.StreamHandler(stream or sys.stdout)
        handler._minqing = True  # type: ignore[attr-defined]
        for old in list(root.handlers):  # Lambda's (or chalice local's) plain-text handler: it would not mask
            if "Lambda" in type(old).__name__ or type(old) is logging.StreamHandler:
                root.removeHandler(old)
        root.addHandler(handler)
    elif stream is not None:
        handler.setStream(stream)
    handler.setFormatter(JsonFormatter())
    root.setLevel(level.upper())
    for noisy in ("botocore", "boto3", "urllib3", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
