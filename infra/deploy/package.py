"""``make package``: Chalice's SAM output merged with ``infra/deploy/resources.json``.

The merge template is the resources template plus what Chalice cannot say itself: SQS event
sources report partial batch failures (``ReportBatchItemFailures``), API Gateway's own
answers (no route, throttled, too large) keep the contract's error shape, and functions get the
stage's resource names from the stack instead of SSM (the ``Ref`` also orders creation after
the queue, whose name Chalice's event source spells ``minqing-<kind>-<stage>``).
Usage: ``python -m infra.deploy.package --stage dev --out build/dev``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "infra" / "deploy" / "resources.json"
QUEUE_RESOURCES = {"notices": "NoticeQueue", "chat": "ChatQueue"}
QUEUE_ENV = {"MINQING_NOTICE_QUEUE_URL": {"Ref": "NoticeQueue"}, "MINQING_CHAT_QUEUE_URL": {"Ref": "ChatQueue"},
             "MINQING_TABLE": {"Ref": "Table"}, "MINQING_INBOUND_SMS_TOPIC_ARN": {"Ref": "InboundSmsTopic"}}
# With WeChatEgress=nat the functions that call WeChat leave through the NAT's Elastic IP (the whitelisted one).
WECHAT_CALLERS = {"APIHandler": "ApiHandlerRole", "NoticeWorker": "NoticeWorkerRole", "ChatWorker": "ChatWorkerRole"}
VPC_ACCESS = {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"}
# SNS invokes the inbound SMS consumer asynchronously: two retries, then the on-failure queue (alarmed).
ASYNC_FAILURES = {"SmsInbound": "InboundSmsFailedQueue"}
# API Gateway answers some requests itself (no route, throttling, too large): keep the contract's shape.
GATEWAY_RESPONSES = {
    "NoRouteResponse": ("MISSING_AUTHENTICATION_TOKEN", "404", "not_found"),
    "TooLargeResponse": ("REQUEST_TOO_LARGE", "413", "payload_too_large"),
    "ThrottledResponse": ("THROTTLED", "429", "rate_limited"),
    "Default4xxResponse": ("DEFAULT_4XX", None, "bad_request"),
    "Default5xxResponse": ("DEFAULT_5XX", "503", "unavailable"),
}


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def merge_template(stage: str, event_sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The template handed to ``chalice package --merge-template``."""
    template = json.loads(RESOURCES.read_text(encoding="utf-8"))
    template["Parameters"]["Stage"]["Default"] = stage
    for source in event_sources:  # every function reads the stack's own resources, not 3 more SSM names
        if source.get("kind", "sqs") != "sqs":
            template["Resources"][_camel(source["name"])] = {"Properties": {
                "Environment": {"Variables": dict(QUEUE_ENV)}}}
            continue
        function = _camel(source["name"])
        template["Resources"][function] = {"Properties": {
            "Environment": {"Variables": dict(QUEUE_ENV)},
            "Events": {f"{function}SqsEventSource": {"Properties": {
                "FunctionResponseTypes": ["ReportBatchItemFailures"]}}}}}
    for logical, (kind, status, code) in GATEWAY_RESPONSES.items():
        body = json.dumps({"error": {"code": code, "message": "$context.error.messageString", "details": []}})
        response: dict[str, Any] = {"RestApiId": {"Ref": "RestAPI"}, "ResponseType": kind,
                                    "ResponseTemplates": {"application/json": body}}
        if status:
            response["StatusCode"] = status
        template["Resources"][logical] = {"Type": "AWS::ApiGateway::GatewayResponse", "Properties": response}
    template["Resources"]["APIHandler"] = {"Properties": {"Environment": {"Variables": dict(QUEUE_ENV)}}}
    for function, role in WECHAT_CALLERS.items():
        properties = template["Resources"].setdefault(function, {"Properties": {}})["Properties"]
        properties["VpcConfig"] = {"Fn::If": ["UseNatEgress", {
            "SecurityGroupIds": [{"Ref": "EgressFunctionSecurityGroup"}],
            "SubnetIds": [{"Ref": "EgressPrivateSubnetA"}, {"Ref": "EgressPrivateSubnetB"}]}, {"Ref": "AWS::NoValue"}]}
        template["Resources"][role] = {"Properties": {"ManagedPolicyArns": {"Fn::If": [
            "UseNatEgress", [VPC_ACCESS], {"Ref": "AWS::NoValue"}]}}}
    for function, queue in ASYNC_FAILURES.items():
        template["Resources"][function] = {"Properties": {
            "Environment": {"Variables": dict(QUEUE_ENV)},
            "EventInvokeConfig": {"MaximumRetryAttempts": 2, "DestinationConfig": {
                "OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": [queue, "Arn"]}}}}}}
    return template


def event_sources(stage: str) -> list[dict[str, Any]]:
    """The app's event-driven functions as Chalice sees them for ``stage`` (imports the app in a child):
    ``name``, ``kind`` (``sqs``, ``sns``, ``schedule``) and, for SQS, ``queue``."""
    env = {**os.environ, **_stage_env(stage)}
    code = ("import json, app; kinds = {'SQSEventConfig': 'sqs', 'SNSEventConfig': 'sns', "
            "'ScheduledEventConfig': 'schedule'}; print(json.dumps([{'name': s.name, "
            "'kind': kinds.get(type(s).__name__, 'other'), 'queue': getattr(s, 'queue', None)} "
            "for s in app.app.event_sources]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,  # noqa: S603
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _stage_env(stage: str) -> dict[str, str]:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return dict(config["stages"][stage]["environment_variables"])


def package(stage: str, out: Path) -> Path:
    """Build ``out/sam.json`` and ``out/deployment.zip``; returns the template path."""
    out.mkdir(parents=True, exist_ok=True)
    merge = out.parent / f"merge-{stage}.json"
    merge.write_text(json.dumps(merge_template(stage, event_sources(stage)), indent=2), encoding="utf-8")
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "cn-north-1")}
    chalice = Path(sys.executable).with_name("chalice")
    subprocess.run([str(chalice), "package", "--stage", stage, "--merge-template", str(merge), str(out)],  # noqa: S603
                   cwd=ROOT, env=env, check=True)
    return out / "sam.json"


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev", choices=["dev", "prod"])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    template = package(args.stage, args.out or ROOT / "build" / args.stage)
    print(f"packaged {template} and {template.with_name('deployment.zip')}")


if __name__ == "__main__":
    main()
