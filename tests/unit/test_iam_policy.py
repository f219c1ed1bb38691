"""The IAM policy lists exactly the actions the code calls (no ``*`` actions, none unused)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# boto3 client methods → IAM actions (transactions need the actions of their parts)
ACTIONS = {
    "get_item": {"dynamodb:GetItem"}, "put_item": {"dynamodb:PutItem"}, "update_item": {"dynamodb:UpdateItem"},
    "delete_item": {"dynamodb:DeleteItem"}, "query": {"dynamodb:Query"}, "batch_get_item": {"dynamodb:BatchGetItem"},
    "batch_write_item": {"dynamodb:BatchWriteItem"},
    "transact_write_items": set(),  # Put/Update/Delete parts are authorised as the single-item actions
    "send_message_batch": {"sqs:SendMessage"}, "send_message": {"sqs:SendMessage"},
    "change_message_visibility": {"sqs:ChangeMessageVisibility"},
    "publish": {"sns:Publish", "kms:GenerateDataKey", "kms:Decrypt"},  # the inbound topic is KMS-encrypted
    # settings: secrets are read through SSM's /aws/reference/secretsmanager/ names, which needs both
    "get_parameters": {"ssm:GetParameters", "secretsmanager:GetSecretValue"},
}
RUNTIME = {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",  # Lambda's own logging
           "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}  # the SQS event source mapping


def _called() -> set[str]:
    names: set[str] = set()
    for folder in ("shared", "channels", "functions"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            names |= {m for m in re.findall(r"\.(\w+)\(", text) if m in ACTIONS}
            names |= {m for m in re.findall(r'_call\("(\w+)"', text) if m in ACTIONS}
    return names


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_policy_allows_exactly_what_the_code_calls(stage: str) -> None:
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    allowed = {a for s in policy["Statement"] for a in s["Action"]}
    needed = set().union(*(ACTIONS[m] for m in _called())) | RUNTIME
    assert allowed == needed
    assert not any("*" in a for a in allowed)


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_policy_resources_are_the_stages_own(stage: str) -> None:
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    for statement in policy["Statement"]:
        if statement["Sid"] in ("Table", "Queues", "Config", "Secrets"):
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            assert all(f"minqing-{stage}" in r or f"minqing/{stage}/" in r or r.endswith(f"-{stage}")
                       for r in resources), statement
