"""A newcomer's local ports: a busy port stops ``make run`` at once with one line naming it; the signed-request
helper follows moved ports and says where it sends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infra.local import running

ROOT = Path(__file__).resolve().parents[3]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MINQING_"))}
    return {**env, **extra}


def test_make_run_stops_at_once_naming_a_busy_port() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        started = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "infra.local"], cwd=ROOT, capture_output=True, text=True,
                             env=_env(MINQING_LOCAL_API_PORT=str(port)), timeout=60, check=False)
    assert run.returncode != 0 and time.monotonic() - started < 30
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and f"port {port} (the Minqing API) is in use" in lines[0], run.stderr
    assert "MINQING_LOCAL_API_PORT=" in lines[0]


def test_the_helper_sends_to_the_moved_api_port() -> None:
    assert running.api_url({"MINQING_LOCAL_API_PORT": "8200"}) == "http://127.0.0.1:8200"
    assert running.api_url({"MINQING_API_URL": "https://api.example.gov.cn/", "MINQING_LOCAL_API_PORT": "8200"}) \
        == "https://api.example.gov.cn"


def test_the_helper_follows_the_running_stack_when_no_port_is_given(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(running, "STATE", tmp_path / "stack.json")
    assert running.api_url({}) == "http://127.0.0.1:8000"
    running.record({"aws": 5300, "api": 8300, "world": 8400})
    assert running.api_url({}) == "http://127.0.0.1:8300"
    running.forget()
    assert running.api_url({}) == "http://127.0.0.1:8000"


def test_a_record_left_by_a_dead_stack_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    monkeypatch.setattr(running, "STATE", tmp_path / "stack.json")
    running.STATE.write_text(f'{{"pid": {dead.pid}, "api": "http://127.0.0.1:8300"}}', encoding="utf-8")
    assert running.api_url({}) == "http://127.0.0.1:8000"


def test_the_helper_says_where_it_sends_and_why_it_cannot() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again at once: nothing listens there
    run = subprocess.run([sys.executable, "-m", "infra.ops.backend", "GET", "/backend/v1/notices?status=failed"],
                         cwd=ROOT, capture_output=True, text=True, env=_env(MINQING_LOCAL_API_PORT=str(port)),
                         timeout=60, check=False)
    assert f"→ GET http://127.0.0.1:{port}/backend/v1/notices?status=failed" in run.stderr
    assert run.returncode != 0 and f"cannot reach http://127.0.0.1:{port}" in run.stderr


def test_the_project_copy_goes_at_stop_and_orphans_at_the_next_start(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from infra.local import stack as local_stack

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = tmp_path / "minqing-local-orphan"
    orphan.mkdir()
    (orphan / "owner.pid").write_text(str(dead.pid), encoding="utf-8")
    stack = local_stack.Stack(dict(running.DEFAULTS))
    stack.project = local_stack._project_dir(stack.env)
    assert not orphan.exists() and stack.project.exists()
    stack.stop()
    assert list(tmp_path.glob("minqing-local-*")) == []


def test_the_busy_port_hint_names_a_free_port_no_other_role_uses(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(running, "STATE", tmp_path / "stack.json")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        ports = {"aws": port, "api": port + 100, "world": port + 200}
        line = running.busy_port(ports)
        assert line is not None and f"port {port} (the AWS stand-in (moto)) is in use" in line
        spare = int(line.rsplit("MINQING_LOCAL_AWS_PORT=", 1)[1].split()[0])
        assert spare not in ports.values() and running._free(spare)
        running.record(ports)  # this process now stands for a running Minqing stack on those ports
        assert f"held by a Minqing stack already running (pid {os.getpid()})" in (running.busy_port(ports) or "")
        running.forget()
