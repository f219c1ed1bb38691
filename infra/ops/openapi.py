"""``make openapi``: write the OpenAPI document the app serves to ``docs/openapi.json`` (a test keeps the two
identical, so a route or model change lands with its published contract)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COPY = ROOT / "docs" / "openapi.json"


def main() -> int:
    """Regenerate the committed copy; say whether it changed."""
    import app  # noqa: F401  (registers every route)
    from functions.docs import openapi_text

    text = openapi_text()
    changed = not COPY.exists() or COPY.read_text(encoding="utf-8") != text
    COPY.write_text(text, encoding="utf-8")
    print(f"{COPY.relative_to(ROOT)}: {'updated' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
