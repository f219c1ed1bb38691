"""docs/backend-signing.md: its worked example is what Minqing verifies, and its Python and Node.js programs,
run as printed, produce those signatures."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from shared.services.backend_auth import sign

DOC = (Path(__file__).resolve().parents[2] / "docs" / "backend-signing.md").read_text(encoding="utf-8")
KEY = "local-only-backend-hmac-key"
EXPECTED = [
    sign(KEY, "1790000000", "3f9a1c2b7d4e8f60", "POST", "/backend/v1/applications/SB20260928000001/events",
         b'{"status":"accepted"}'),
    sign(KEY, "1790000000", "a1b2c3d4e5f60718", "GET",
         "/backend/v1/notices?application_no=SB20260928000001&kind=completion", b""),
]


def _block(language: str) -> str:
    return re.search(rf"```{language}\n(.*?)```", DOC, re.S).group(1)  # type: ignore[union-attr]


def test_the_worked_example_is_what_minqing_verifies() -> None:
    assert all(signature in DOC for signature in EXPECTED)


def test_the_python_recipe_prints_the_worked_signatures() -> None:
    out = subprocess.run([sys.executable, "-c", _block("python")], capture_output=True, text=True, check=True)
    assert out.stdout.split() == EXPECTED


def test_the_node_recipe_prints_the_worked_signatures() -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed to check the Node recipe (Debian: apt-get install nodejs)"
    out = subprocess.run([node, "-e", _block("javascript")], capture_output=True, text=True, check=True)
    assert out.stdout.split() == EXPECTED
