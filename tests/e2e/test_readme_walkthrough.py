"""The README's "Try it" block, run verbatim by bash against a stack on moved ports, as a newcomer would paste
it: the completion notice reaches the mini-program because the walkthrough records the consent credit."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.e2e.conftest import LocalStack

ROOT = Path(__file__).resolve().parents[2]


def _walkthrough() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Try it"):]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_the_readme_walkthrough_delivers_the_notice_to_the_mini_program_on_moved_ports(stack: LocalStack) -> None:
    assert stack.ports["api"] != 8000 and stack.ports["world"] != 8100
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MINQING_"))}
    env.update({f"MINQING_LOCAL_{n.upper()}_PORT": str(p) for n, p in stack.ports.items()})
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", _walkthrough()], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"→ POST http://127.0.0.1:{stack.ports['api']}/backend/v1/applications/" in run.stderr
    no = re.search(r'"application_no": "(SB\d+)"', run.stdout).group(1)  # type: ignore[union-attr]
    messages = stack.outbox(lambda ms: any(no in m["text"] for m in ms))
    notice = [m for m in messages if no in m["text"]]
    assert [(m["channel"], m["template"]) for m in notice] == [("wechat_mini", "LOCAL-MINI-DONE")]
    assert '"status": "completed"' in run.stdout
