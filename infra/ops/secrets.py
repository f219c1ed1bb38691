"""``make secrets STAGE=prod [FROM=creds.json] [STACK=minqing-prod]``: create every ``ssm:``/``secretsmanager:``
value the stage names in ``.chalice/config.json``, once.

- Keys Minqing owns are generated (``secrets``): the session and backend keys, the ID pepper, the uplink
  token, and the OA's Token and EncodingAESKey (which the county then enters in WeChat's console).
- Values the stack owns (queue URLs, the inbound topic) are read from the CloudFormation stack's outputs.
- Platform credentials (WeChat, Alipay, Aliyun) and the county's maps (templates, contacts) come from a JSON
  file keyed by variable name (``"@path"`` reads a file, e.g. a PEM key), else are asked for on a terminal.

A value that exists is never touched (run it again at will); nothing secret is printed.
SSM: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html ;
Secrets Manager: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
"""

from __future__ import annotations

import argparse
import getpass
import json
import secrets
import string
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ALNUM = string.ascii_letters + string.digits


def _random(length: int, alphabet: str = ALNUM) -> Callable[[], str]:
    return lambda: "".join(secrets.choice(alphabet) for _ in range(length))


GENERATED: dict[str, Callable[[], str]] = {
    "MINQING_SESSION_KEY": lambda: secrets.token_hex(32),
    "MINQING_BACKEND_HMAC_KEY": lambda: secrets.token_hex(32),
    "MINQING_BACKEND_KEY_ROOT": lambda: secrets.token_hex(32),   # scoped keys' secrets derive from it
    "MINQING_ID_PEPPER": lambda: secrets.token_hex(32),
    "MINQING_SMS_UPLINK_TOKEN": lambda: secrets.token_hex(24),
    "MINQING_WECHAT_OA_TOKEN": _random(32),      # 3-32 letters or digits (公众号 基本配置 → 服务器配置)
    "MINQING_WECHAT_OA_AES_KEY": _random(43),    # EncodingAESKey: 43 letters or digits
}
FROM_STACK = {"MINQING_NOTICE_QUEUE_URL": "NoticeQueueUrl", "MINQING_CHAT_QUEUE_URL": "ChatQueueUrl",
              "MINQING_INBOUND_SMS_TOPIC_ARN": "InboundSmsTopicArn"}
JSON_VALUES = {"MINQING_TEMPLATES", "MINQING_SMS_TEMPLATES", "MINQING_SUPERVISION_CONTACTS"}
PLAIN = {"MINQING_WECHAT_OA_APPID", "MINQING_WECHAT_MINI_APPID", "MINQING_ALIPAY_APPID", "MINQING_ALIPAY_PUBLIC_KEY",
         "MINQING_ALIYUN_ACCESS_KEY_ID", *JSON_VALUES, *FROM_STACK}  # kept as SSM String, the rest SecureString


@dataclass(frozen=True)
class Reference:
    """One value a stage names: ``ssm:/minqing/prod/x`` or ``secretsmanager:minqing/prod/x``."""

    variable: str
    store: str  # "ssm" or "secretsmanager"
    name: str

    @classmethod
    def parse(cls, variable: str, value: str) -> Reference | None:
        """The reference in an environment value, or None for a literal."""
        store, _, name = value.partition(":")
        return cls(variable, store, name) if store in ("ssm", "secretsmanager") and name else None


def stages() -> dict[str, dict[str, str]]:
    """Each stage's environment in ``.chalice/config.json``."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return {name: stage.get("environment_variables", {}) for name, stage in config["stages"].items()}


def references(stage: str) -> list[Reference]:
    """Every reference of ``stage``."""
    return [ref for var, value in stages()[stage].items() if (ref := Reference.parse(var, value))]


class Store:
    """SSM Parameter Store and Secrets Manager, asked whether a value exists and told to create it."""

    def __init__(self, session: Any):
        self.ssm, self.sm = session.client("ssm"), session.client("secretsmanager")

    def exists(self, ref: Reference) -> bool:
        """Whether the value is already there."""
        if ref.store == "ssm":
            return bool(self.ssm.get_parameters(Names=[ref.name])["Parameters"])
        try:
            self.sm.describe_secret(SecretId=ref.name)
        except self.sm.exceptions.ResourceNotFoundException:
            return False
        return True

    def create(self, ref: Reference, value: str) -> None:
        """Create it, never overwriting."""
        if ref.store == "ssm":
            kind = "String" if ref.variable in PLAIN else "SecureString"
            self.ssm.put_parameter(Name=ref.name, Value=value, Type=kind, Overwrite=False,
                                   Description=f"Minqing {ref.variable}")
        else:
            self.sm.create_secret(Name=ref.name, SecretString=value, Description=f"Minqing {ref.variable}")


def provide(stage: str, session: Any, given: Mapping[str, str], stack: str | None,
            ask: Callable[[Reference], str | None]) -> dict[str, list[str]]:
    """Create what is missing; returns the variables by outcome: exists, generated, given, from_stack,
    after_deploy (the stack is not deployed yet: only ``chalice deploy`` needs them), missing."""
    store, refs = Store(session), references(stage)
    outcome: dict[str, list[str]] = {k: [] for k in ("exists", "generated", "given", "from_stack", "after_deploy",
                                                     "missing")}
    outputs = _stack_outputs(session, stack)
    for ref in refs:
        if store.exists(ref):
            outcome["exists"].append(ref.variable)
            continue
        if given.get(ref.variable):  # a county moving an existing key in keeps it
            value, how = given[ref.variable], "given"
        elif ref.variable in GENERATED:
            value, how = GENERATED[ref.variable](), "generated"
        elif ref.variable in FROM_STACK:
            value, how = outputs.get(FROM_STACK[ref.variable]), "from_stack"
        else:
            value, how = ask(ref), "given"
        if not value:
            outcome["after_deploy" if ref.variable in FROM_STACK else "missing"].append(ref.variable)
            continue
        if ref.variable in JSON_VALUES:
            json.loads(value)  # a broken map stops here, not at the first cold start
        store.create(ref, value)
        outcome[how].append(ref.variable)
    return outcome


def _stack_outputs(session: Any, stack: str | None) -> dict[str, str]:
    if not stack:
        return {}
    cfn = session.client("cloudformation")
    try:
        found = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    except cfn.exceptions.ClientError:
        return {}
    return {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}


def read_given(path: Path | None) -> dict[str, str]:
    """The credentials file: ``{"MINQING_X": "value" | "@file" | {JSON map}}``."""
    if path is None:
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for variable, value in data.items():
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, str) and value.startswith("@"):
            value = (path.parent / value[1:]).read_text(encoding="utf-8").strip()
        out[variable] = str(value)
    return out


def ask_on_terminal(ref: Reference) -> str | None:
    """Ask for one value when a person is at the terminal (hidden unless it is not a secret)."""
    if not sys.stdin.isatty():
        return None
    prompt = f"{ref.variable} ({ref.store}:{ref.name}, empty to skip): "
    return (input(prompt) if ref.variable in PLAIN else getpass.getpass(prompt)).strip() or None


def main() -> int:
    """Command line entry."""
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True, choices=[n for n in stages() if references(n)])
    parser.add_argument("--from", dest="given", type=Path, help="JSON file of platform credentials")
    parser.add_argument("--stack", help="CloudFormation stack for queue URLs and topic ARN (minqing-<stage>)")
    args = parser.parse_args()
    session = boto3.session.Session()
    if session.region_name is None or session.get_credentials() is None:
        sys.exit("make secrets writes to the stage's AWS account: set AWS_REGION (cn-north-1) and credentials "
                 "(AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) first")
    outcome = provide(args.stage, session, read_given(args.given),
                      args.stack or f"minqing-{args.stage}", ask_on_terminal)
    return _report(args.stage, outcome)


HANDED_OVER = {
    "MINQING_WECHAT_OA_TOKEN": "enter it in WeChat (公众号 → 基本配置 → 服务器配置)",
    "MINQING_WECHAT_OA_AES_KEY": "enter it in WeChat (公众号 → 基本配置 → 服务器配置)",
    "MINQING_BACKEND_HMAC_KEY": "give it to the county's approval system (docs/backend-signing.md)",
    "MINQING_SMS_UPLINK_TOKEN": "put it in Aliyun's uplink push URL (README, Deploying, step 0)",
}


def _report(stage: str, outcome: dict[str, list[str]]) -> int:
    """Print what happened (never a value) and who needs which generated key; 1 while a credential is missing."""
    for how, variables in outcome.items():
        for variable in variables:
            print(f"{how:10} {variable}")
    for ref in references(stage):
        if ref.variable in HANDED_OVER and ref.variable in outcome["generated"]:
            read = (f"aws secretsmanager get-secret-value --secret-id {ref.name}" if ref.store == "secretsmanager"
                    else f"aws ssm get-parameter --with-decryption --name {ref.name}")
            print(f"{ref.variable}: {HANDED_OVER[ref.variable]}; read it with `{read}`")
    if outcome["after_deploy"]:
        print("after_deploy: only `chalice deploy` (the function-only path) reads these; run again once the stack "
              "is deployed")
    if outcome["missing"]:
        print(f"missing: {len(outcome['missing'])} value(s); give them with --from FILE (or at a terminal) and run "
              "again", file=sys.stderr)
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
