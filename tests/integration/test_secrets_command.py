"""``make secrets``: every value a stage names is created once on SSM / Secrets Manager (moto): Minqing's keys
generated, the stack's values read from its outputs, platform credentials from a file; a second run changes
nothing; a value nobody gave is reported and fails the command."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from infra.ops.secrets import FROM_STACK, GENERATED, provide, read_given, references
from shared.config import load_settings

PLATFORM = {
    "MINQING_WECHAT_OA_APPID": "wx0a0000000000001", "MINQING_WECHAT_OA_SECRET": "oa-secret",
    "MINQING_WECHAT_MINI_APPID": "wxm100000000000001", "MINQING_WECHAT_MINI_SECRET": "mini-secret",
    "MINQING_ALIPAY_APPID": "2021000000000001", "MINQING_ALIPAY_PRIVATE_KEY": "@app_private.pem",
    "MINQING_ALIPAY_PUBLIC_KEY": "alipay-public", "MINQING_ALIYUN_ACCESS_KEY_ID": "LTAI0000000000000001",
    "MINQING_ALIYUN_ACCESS_KEY_SECRET": "aliyun-secret",
    "MINQING_TEMPLATES": {"wechat_mini": {"completion": "TPL-DONE"}},
    "MINQING_SMS_TEMPLATES": {"otp": "SMS_1"}, "MINQING_SUPERVISION_CONTACTS": {"default": "+8613700000001"},
}


def _credentials(tmp_path: Path, **changes: object) -> Path:
    (tmp_path / "app_private.pem").write_text("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n")
    path = tmp_path / "creds.json"
    path.write_text(json.dumps({**PLATFORM, **changes}), encoding="utf-8")
    return path


def _stack(session: boto3.session.Session) -> str:
    template = (Path(__file__).resolve().parents[2] / "infra" / "deploy" / "resources.json").read_text()
    session.client("cloudformation").create_stack(StackName="minqing-prod", TemplateBody=template,
                                                  Parameters=[{"ParameterKey": "Stage", "ParameterValue": "prod"}])
    return "minqing-prod"


def test_creates_every_value_the_stage_names_and_the_stage_then_loads(aws: boto3.session.Session,
                                                                     tmp_path: Path) -> None:
    given = read_given(_credentials(tmp_path))
    outcome = provide("prod", aws, given, _stack(aws), lambda ref: None)
    assert outcome["missing"] == [] and outcome["exists"] == []
    assert set(outcome["generated"]) == set(GENERATED) and set(outcome["from_stack"]) == set(FROM_STACK)
    assert len(outcome["given"]) == len(PLATFORM)
    config = json.loads((Path(__file__).resolve().parents[2] / ".chalice" / "config.json").read_text())
    settings = load_settings(config["stages"]["prod"]["environment_variables"], aws)
    assert len(settings.session_key.get_secret_value()) == 64
    assert len(settings.wechat_oa_aes_key.get_secret_value()) == 43
    assert settings.alipay_private_key.get_secret_value().startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert settings.templates == {"wechat_mini": {"completion": "TPL-DONE"}}
    assert settings.notice_queue_url.endswith("minqing-notices-prod")
    secret = aws.client("ssm").get_parameter(Name="/minqing/prod/session-key")["Parameter"]
    assert secret["Type"] == "SecureString"


def test_a_second_run_changes_nothing(aws: boto3.session.Session, tmp_path: Path) -> None:
    stack = _stack(aws)
    provide("prod", aws, read_given(_credentials(tmp_path)), stack, lambda ref: None)
    ssm, sm = aws.client("ssm"), aws.client("secretsmanager")
    before = (ssm.get_parameter(Name="/minqing/prod/backend-hmac-key", WithDecryption=True)["Parameter"]["Value"],
              sm.get_secret_value(SecretId="minqing/prod/wechat-oa-token")["SecretString"])
    again = provide("prod", aws, read_given(_credentials(tmp_path, MINQING_WECHAT_OA_SECRET="other")), stack,
                    lambda ref: "asked")
    assert len(again["exists"]) == len(references("prod")) and sum(map(len, again.values())) == len(again["exists"])
    after = (ssm.get_parameter(Name="/minqing/prod/backend-hmac-key", WithDecryption=True)["Parameter"]["Value"],
             sm.get_secret_value(SecretId="minqing/prod/wechat-oa-token")["SecretString"])
    assert after == before
    assert sm.get_secret_value(SecretId="minqing/prod/wechat-oa-secret")["SecretString"] == "oa-secret"


def test_values_nobody_gave_are_reported_missing(aws: boto3.session.Session) -> None:
    asked: list[str] = []
    outcome = provide("dev", aws, {}, None, lambda ref: asked.append(ref.variable))  # type: ignore[func-returns-value]
    assert set(outcome["missing"]) == set(PLATFORM) and set(outcome["after_deploy"]) == set(FROM_STACK)
    assert set(asked) == set(PLATFORM)
    assert set(outcome["generated"]) == set(GENERATED)


def test_the_command_prints_no_secret_and_succeeds_before_the_stack_is_deployed(
        aws: boto3.session.Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from infra.ops import secrets

    monkeypatch.setattr("sys.argv", ["secrets", "--stage", "dev", "--from", str(_credentials(tmp_path))])
    assert secrets.main() == 0  # no stack deployed yet: the queue URLs and the topic wait for it
    out = capsys.readouterr()
    key = aws.client("ssm").get_parameter(Name="/minqing/dev/session-key", WithDecryption=True)["Parameter"]["Value"]
    token = aws.client("secretsmanager").get_secret_value(SecretId="minqing/dev/wechat-oa-token")["SecretString"]
    assert key not in out.out + out.err and token not in out.out + out.err
    assert "generated  MINQING_SESSION_KEY" in out.out and "after_deploy MINQING_NOTICE_QUEUE_URL" in out.out
    monkeypatch.setattr("sys.argv", ["secrets", "--stage", "prod"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert secrets.main() == 1
    assert "missing: 12 value(s)" in capsys.readouterr().err
