"""Where the running local stack listens, for the tools a newcomer runs in another terminal.

``make run`` writes ``.local/stack.json`` (its pid and URLs) once it is up and removes it when it stops;
a file left by a stack that died is ignored. Ports come, in order, from ``MINQING_API_URL`` /
``MINQING_LOCAL_*_PORT`` in the caller's environment, then from that file, then the defaults.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("MINQING_LOCAL_STATE") or ROOT / ".local" / "stack.json")  # tests' stacks: elsewhere
DEFAULTS = {"aws": 5000, "api": 8000, "world": 8100}
VARIABLES = {name: f"MINQING_LOCAL_{name.upper()}_PORT" for name in DEFAULTS}
ROLES = {"aws": "the AWS stand-in (moto)", "api": "the Minqing API", "world": "the local world"}


def asked_ports(environ: Mapping[str, str]) -> dict[str, int]:
    """The ports ``make run`` should use: ``MINQING_LOCAL_*_PORT`` or the defaults."""
    return {name: int(environ.get(VARIABLES[name]) or port) for name, port in DEFAULTS.items()}


def busy_port(ports: Mapping[str, int]) -> str | None:
    """A one-line explanation naming the first port another program holds (and a free one to move it to),
    or None when all are free."""
    for name, port in ports.items():
        if _free(port):
            continue
        running = _running()
        if running and running.get(name) == f"http://127.0.0.1:{port}":
            return (f"port {port} ({ROLES[name]}) is held by a Minqing stack already running (pid {running['pid']}): "
                    "use it, or stop it with Ctrl-C in its terminal")
        spare = next(p for p in range(port + 100, 65536, 100) if p not in ports.values() and _free(p))
        return (f"port {port} ({ROLES[name]}) is in use by another program: stop it, or move the port, "
                f"e.g. {VARIABLES[name]}={spare} make run")
    return None


def _free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: TIME_WAIT is free
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def record(ports: Mapping[str, int]) -> None:
    """Say where this stack listens (called once it is up), unless another live stack already did (a test's
    stack on free ports never hides the developer's own)."""
    if _running():
        return
    STATE.parent.mkdir(exist_ok=True)
    STATE.write_text(json.dumps({"pid": os.getpid(), **{n: f"http://127.0.0.1:{p}" for n, p in ports.items()}}),
                     encoding="utf-8")


def forget() -> None:
    """Remove the file if this process wrote it (called when the stack stops)."""
    running = _running()
    if running and int(running["pid"]) == os.getpid():
        STATE.unlink(missing_ok=True)


def api_url(environ: Mapping[str, str]) -> str:
    """The API a local tool should call: ``MINQING_API_URL``, ``MINQING_LOCAL_API_PORT``, the running stack's
    own, or the default port."""
    if environ.get("MINQING_API_URL"):
        return environ["MINQING_API_URL"].rstrip("/")
    if environ.get(VARIABLES["api"]):
        return f"http://127.0.0.1:{int(environ[VARIABLES['api']])}"
    running = _running()
    return running["api"] if running else f"http://127.0.0.1:{DEFAULTS['api']}"


def running_ports(environ: Mapping[str, str]) -> dict[str, int]:
    """The ports of the stack a tool should talk to: ``MINQING_LOCAL_*_PORT``, the running stack's, the defaults."""
    running = _running() or {}
    return {name: int(environ.get(VARIABLES[name]) or str(running.get(name, "")).rsplit(":", 1)[-1] or port)
            for name, port in DEFAULTS.items()}


def _running() -> dict[str, str] | None:
    try:
        state = json.loads(STATE.read_text(encoding="utf-8"))
        os.kill(int(state["pid"]), 0)  # still alive?
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state
