"""The repository carries its own documentation: nothing in it points outside it, and every document it names
exists in it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    out = []
    for name in names:
        path = ROOT / name
        if path.is_file() and not path.is_symlink() and path.suffix in {".py", ".md", ".json", ".txt", ".toml", ""}:
            out.append(path)
    return out


OUTSIDE = "../" + "shared"  # the workplace's folder beside the repository (spelt apart so this file passes)


def test_no_file_points_outside_the_repository() -> None:
    offenders = [str(p.relative_to(ROOT)) for p in _tracked_text_files()
                 if OUTSIDE in p.read_text(encoding="utf-8", errors="replace")]
    assert offenders == []


def test_every_relative_link_of_the_docs_resolves() -> None:
    broken = []
    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue  # an absolute URL (a platform's documentation)
            if not (doc.parent / target).exists():
                broken.append(f"{doc.relative_to(ROOT)} → {target}")
    assert broken == []


def test_every_document_the_code_cites_exists() -> None:
    cited = {m for p in _tracked_text_files() for m in re.findall(r"\bdocs/[\w.-]+\.(?:md|json)\b",
                                                                   p.read_text(encoding="utf-8", errors="replace"))}
    assert cited, "the code cites its documents"
    assert sorted(c for c in cited if not (ROOT / c).exists()) == []
