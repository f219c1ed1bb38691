"""``make run``: the whole product on loopback (docs/local.md).

moto in server mode (:5000) with the resources of ``infra/deploy/resources.json``, the Minqing API by
``chalice local --stage local`` (:8000), the local world (:8100) and the event pump. Ports move
with ``--aws-port/--api-port/--world-port`` or ``MINQING_LOCAL_{AWS,API,WORLD}_PORT``; a port already
taken stops the start at once with one line naming it. Everything is kept in memory: a restart starts
empty (but for the catalogue, which is seeded again).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from infra.local.running import DEFAULTS, asked_ports, busy_port, forget, record

ROOT = Path(__file__).resolve().parents[2]
TEMP_PREFIX = "minqing-local-"
CONSOLE_ADMIN = ("admin", "minqing-local-admin")  # the local stage's county administrator (docs/contract.md)


def stage_env(ports: dict[str, int]) -> dict[str, str]:
    """The local stage's environment with the ports moved where asked."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    env = dict(config["stages"]["local"]["environment_variables"])
    return {k: _move(v, ports) for k, v in env.items()}


def _move(value: str, ports: dict[str, int]) -> str:
    for name in ("aws", "api", "world"):
        value = value.replace(f"127.0.0.1:{DEFAULTS[name]}", f"127.0.0.1:@{name}@")
    for name in ("aws", "api", "world"):
        value = value.replace(f"127.0.0.1:@{name}@", f"127.0.0.1:{ports[name]}")
    return value


def _project_dir(env: dict[str, str]) -> Path:
    """A linked copy of the project whose local stage uses ``env`` (moved ports, generated keys); removed
    when the stack stops, and a copy left by a stack that was killed is removed at the next start."""
    _remove_orphans()
    tmp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    (tmp / "owner.pid").write_text(str(os.getpid()), encoding="utf-8")
    for name in ("app.py", "functions", "channels", "shared", "requirements.txt"):
        (tmp / name).symlink_to(ROOT / name)
    (tmp / ".chalice").mkdir()
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    config["stages"]["local"]["environment_variables"] = env
    (tmp / ".chalice" / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return tmp


def _remove_orphans() -> None:
    for folder in Path(tempfile.gettempdir()).glob(TEMP_PREFIX + "*"):
        try:
            os.kill(int((folder / "owner.pid").read_text(encoding="utf-8")), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):  # written before owner.pid existed, or not ours to judge
            if time.time() - folder.stat().st_mtime > 86400:
                shutil.rmtree(folder, ignore_errors=True)


def deploy_resources(session: Any) -> dict[str, str]:
    """Create the stack of ``infra/deploy/resources.json`` (Stage=local) in moto; returns its outputs."""
    cfn = session.client("cloudformation")
    body = (ROOT / "infra" / "deploy" / "resources.json").read_text(encoding="utf-8")
    cfn.create_stack(StackName="minqing-local", TemplateBody=body,
                     Parameters=[{"ParameterKey": "Stage", "ParameterValue": "local"}])
    stack = cfn.describe_stacks(StackName="minqing-local")["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(f"local stack is {stack['StackStatus']}")
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def seed_console_admin(session: Any, env: dict[str, str]) -> None:
    """The local stage's county administrator, so the console can be opened at once."""
    from functools import partial

    from shared.clock import SystemClock
    from shared.services.staff import StaffService
    from shared.storage.dynamo import Table
    from shared.storage.dynamo_unit import DynamoUnitOfWork

    table = Table(session.client("dynamodb"), env["MINQING_TABLE"])
    staff = StaffService(partial(DynamoUnitOfWork, table), SystemClock(), env["MINQING_SESSION_KEY"])
    staff.ensure(CONSOLE_ADMIN[0], "县级管理员 (local)", "county_admin", CONSOLE_ADMIN[1])


def wait_http(url: str, timeout: float) -> None:
    """Until ``url`` answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (loopback)
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up in {timeout:.0f} s")


class Stack:
    """The running local stack."""

    def __init__(self, ports: dict[str, int]):
        self.ports = ports
        self.env = stage_env(ports)
        from infra.world.alipay_platform import local_keys

        self.keys = local_keys(ROOT / ".local" / "keys")  # generated for this machine, never committed
        self.env["MINQING_ALIPAY_PRIVATE_KEY"] = self.keys["app_private"]
        self.env["MINQING_ALIPAY_PUBLIC_KEY"] = self.keys["alipay_public"]
        self.proc: subprocess.Popen[bytes] | None = None
        self.servers: list[Any] = []
        self.project: Path | None = None

    def start(self) -> None:
        """Bring everything up; returns when the API answers /health."""
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)

        moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.ports["aws"], verbose=False)
        moto.start()
        self.servers.append(moto)
        os.environ.update(self.env)
        import boto3

        session = boto3.session.Session()
        outputs = deploy_resources(session)
        seed_console_admin(session, self.env)

        from infra.local.pump import Pump
        from infra.world.alipay_platform import AlipayWorld
        from infra.world.server import World, serve
        from infra.world.sms_platform import SmsWorld

        uplink = f"http://127.0.0.1:{self.ports['api']}/sms/aliyun/uplink?token={self.env['MINQING_SMS_UPLINK_TOKEN']}"
        sms = SmsWorld(self.env["MINQING_ALIYUN_ACCESS_KEY_ID"], self.env["MINQING_ALIYUN_ACCESS_KEY_SECRET"],
                       self.env["MINQING_SMS_SIGN_NAME"], uplink_url=uplink)
        world = World(alipay=AlipayWorld(self.keys["app_public"], self.keys["alipay_private"]), sms=sms)
        world.wechat.whitelists[self.env["MINQING_WECHAT_OA_APPID"]] = {"127.0.0.1"}  # the OA's API IP whitelist
        world.oauth_domains[self.env["MINQING_WECHAT_OA_APPID"]] = {f"127.0.0.1:{self.ports['api']}"}  # 网页授权域名
        self.servers.append(serve(world, port=self.ports["world"]))
        import app as minqing

        pump = Pump(minqing.app, session, on_failure={"sms_inbound": outputs["InboundSmsFailedQueueUrl"]})
        if outputs["InboundSmsTopicArn"] != self.env["MINQING_INBOUND_SMS_TOPIC_ARN"]:
            raise RuntimeError(f"the local stage names another inbound topic than {outputs['InboundSmsTopicArn']}")
        world.hooks["run"] = pump.run
        pump.start()
        self.pump = pump
        chalice = shutil.which("chalice", path=str(Path(sys.executable).parent)) or "chalice"
        project = self.project = _project_dir(self.env)
        self.proc = subprocess.Popen(  # noqa: S603 (our own tool)
            [chalice, "--project-dir", str(project), "local", "--stage", "local", "--no-autoreload",
             "--host", "127.0.0.1", "--port", str(self.ports["api"])],
            cwd=project, env={**os.environ, **self.env}, start_new_session=True)
        wait_http(f"http://127.0.0.1:{self.ports['api']}/health", 90)

    def stop(self) -> None:
        """Stop the API process, the pump and the servers."""
        if getattr(self, "pump", None):
            self.pump.stop.set()
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        for server in reversed(self.servers):
            (getattr(server, "stop", None) or server.shutdown)()
        if self.project:
            shutil.rmtree(self.project, ignore_errors=True)
        forget()

    def banner(self) -> str:
        """What a newcomer needs to start."""
        e, p = self.env, self.ports
        return "\n".join([
            "Minqing is running on loopback:",
            f"  API          http://127.0.0.1:{p['api']}        (try GET /health, GET /v1/items, GET /v1/answers?q=…)",
            f"  citizen H5   http://127.0.0.1:{p['api']}/h5/    (phone sign-in: the code is in the world's /outbox)",
            f"  local world  http://127.0.0.1:{p['world']}        (GET /outbox, POST /local/run/<name>)",
            f"  AWS (moto)   http://127.0.0.1:{p['aws']}        (table {e['MINQING_TABLE']})",
            "Local credentials (local stage only, not secrets):",
            f"  backend HMAC key      {e['MINQING_BACKEND_HMAC_KEY']}",
            f"  WeChat OA appid/token {e['MINQING_WECHAT_OA_APPID']} / {e['MINQING_WECHAT_OA_TOKEN']}",
            f"  WeChat OA AES key     {e['MINQING_WECHAT_OA_AES_KEY']}",
            f"  WeChat mini appid     {e['MINQING_WECHAT_MINI_APPID']}",
            f"Signed backend calls: .venv/bin/python -m infra.ops.backend GET '/backend/v1/notices?status=failed'"
            f"  (sends to http://127.0.0.1:{p['api']})",
            f"API reference: http://127.0.0.1:{p['api']}/docs",
            f"Console (运营台): http://127.0.0.1:{p['api']}/console/  user {CONSOLE_ADMIN[0]}, password "
            f"{CONSOLE_ADMIN[1]} (local only)",
            "Data is kept in memory: stopping loses it (the catalogue is seeded again at each start).",
            "Walkthrough: README.md, 'Try it'. Ctrl-C stops everything.",
        ])


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description="Run Minqing on loopback.")
    asked = asked_ports(os.environ)
    for name in DEFAULTS:
        parser.add_argument(f"--{name}-port", type=int, default=asked[name])
    args = parser.parse_args()
    ports = {name: getattr(args, f"{name}_port") for name in DEFAULTS}
    taken = busy_port(ports)
    if taken:
        raise SystemExit(f"make run: {taken}")
    stack = Stack(ports)
    stopping = threading.Event()

    def _stop(*_: Any) -> None:
        if not stack.proc:
            raise KeyboardInterrupt  # still starting: abort the start-up
        stopping.set()

    for sig in (signal.SIGINT, signal.SIGTERM):  # also when started in the background (SIGINT ignored)
        signal.signal(sig, _stop)
    try:
        stack.start()
        record(ports)
        print(stack.banner(), flush=True)
        while not stopping.wait(0.5):
            if stack.proc and stack.proc.poll() is not None:
                raise SystemExit("chalice local exited")
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping…", flush=True)
        stack.stop()


if __name__ == "__main__":
    main()
