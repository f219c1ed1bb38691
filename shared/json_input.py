"""JSON from outside (request bodies, provider pushes): parsed only when it is shallow enough.

Python's parser recurses once per nesting level: ``'{"a":' * 5000`` raises ``RecursionError``
(a 500) before any validation could refuse it. One scan of the text, outside strings, bounds
the depth first; the caller bounds the size (64 KiB bodies).
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32  # docs/contract.md bodies nest three levels at most


class JsonRefused(ValueError):
    """Not JSON, or JSON nested deeper than ``MAX_DEPTH``."""


def loads(data: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """The parsed value; ``JsonRefused`` when the text is not JSON or nests deeper than ``max_depth``."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise JsonRefused("not UTF-8") from None
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                raise JsonRefused(f"nested deeper than {max_depth} levels")
        elif char in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except ValueError:
        raise JsonRefused("not JSON") from None
