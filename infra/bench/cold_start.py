"""The AWS calls a cold start makes to read its settings, for the ``prod`` stage as packaged.

Every ``ssm:``/``secretsmanager:`` value of ``.chalice/config.json``'s stage is created in moto,
the variables the stack fills in itself (queue URLs, table, topic) take their stack values, and
``load_settings`` is counted call by call (target ≤ 2).
"""

from __future__ import annotations

import os
from typing import Any

MAPS = {"MINQING_TEMPLATES", "MINQING_SMS_TEMPLATES", "MINQING_SUPERVISION_CONTACTS"}  # JSON objects


def packaged_env(stage: str) -> dict[str, str]:
    """A stage's environment as its packaged functions see it (the stack fills in its own resources)."""
    from infra.deploy.package import QUEUE_ENV, _stage_env

    return {k: ("from the stack" if k in QUEUE_ENV else v) for k, v in _stage_env(stage).items()}


def seed_references(session: Any, env: dict[str, str]) -> None:
    """Create every referenced parameter and secret: ``value of <ref>`` (``{}`` for JSON maps)."""
    ssm, secrets = session.client("ssm"), session.client("secretsmanager")
    for name, value in env.items():
        if value.startswith("ssm:"):
            ssm.put_parameter(Name=value[4:], Value="{}" if name in MAPS else f"value of {value}", Type="SecureString")
        elif value.startswith("secretsmanager:"):
            secrets.create_secret(Name=value[15:], SecretString=f"secret of {value}")


def settings_calls(stage: str = "prod") -> tuple[int, int]:
    """(AWS calls made, references resolved)."""
    import boto3
    from moto import mock_aws

    from shared.config import load_settings, reference_name

    env = packaged_env(stage)
    endpoint = os.environ.pop("AWS_ENDPOINT_URL", None)  # moto's mock, not a running stack
    try:
        with mock_aws():  # sets fake credentials of its own
            session = boto3.session.Session(region_name="cn-north-1")
            seed_references(session, env)
            calls: list[str] = []
            session.events.register("before-call.*.*", lambda model, **_: calls.append(model.name))
            load_settings(env, session)
    finally:
        if endpoint is not None:
            os.environ["AWS_ENDPOINT_URL"] = endpoint
    return len(calls), sum(1 for v in env.values() if reference_name(v))
