"""The optional fixed egress IP for WeChat: with ``WeChatEgress=nat`` the stack creates a NAT gateway
behind one Elastic IP (the output to whitelist) and the functions that call WeChat run behind it."""

from __future__ import annotations

import json
from pathlib import Path

import boto3

from infra.deploy import RESOURCES
from infra.deploy.package import WECHAT_CALLERS, merge_template

ROOT = Path(__file__).resolve().parents[2]


def _deploy(aws: boto3.session.Session, egress: str) -> dict[str, str]:
    cfn = aws.client("cloudformation")
    cfn.create_stack(StackName=f"egress-{egress}", TemplateBody=RESOURCES.read_text(),
                     Parameters=[{"ParameterKey": "Stage", "ParameterValue": "dev"},
                                 {"ParameterKey": "WeChatEgress", "ParameterValue": egress}])
    stack = cfn.describe_stacks(StackName=f"egress-{egress}")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def test_nat_egress_gives_one_elastic_ip_to_whitelist(aws: boto3.session.Session) -> None:
    outputs = _deploy(aws, "nat")
    ip = outputs["WeChatEgressIp"]
    assert [a["PublicIp"] for a in aws.client("ec2").describe_addresses()["Addresses"]] == [ip]
    nat = aws.client("ec2").describe_nat_gateways()["NatGateways"]
    assert [n["NatGatewayAddresses"][0]["PublicIp"] for n in nat] == [ip]


def test_without_nat_egress_no_network_is_created(aws: boto3.session.Session) -> None:
    outputs = _deploy(aws, "none")
    assert "WeChatEgressIp" not in outputs
    assert aws.client("ec2").describe_nat_gateways()["NatGateways"] == []


def test_the_functions_that_call_wechat_run_in_the_egress_subnets_only_when_asked() -> None:
    template = merge_template("prod", [{"name": "notice_worker"}, {"name": "chat_worker"}])
    for function in WECHAT_CALLERS:
        vpc = template["Resources"][function]["Properties"]["VpcConfig"]
        assert vpc["Fn::If"][0] == "UseNatEgress" and vpc["Fn::If"][2] == {"Ref": "AWS::NoValue"}
        assert json.dumps(vpc).count("EgressPrivateSubnet") == 2
