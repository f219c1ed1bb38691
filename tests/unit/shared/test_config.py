"""Settings from the MINQING_* environment, with ssm: and secretsmanager: references."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from pydantic import ValidationError

from shared.config import MissingReference, Settings, load_settings


def test_loads_settings_from_an_explicit_mapping() -> None:
    settings = load_settings({"MINQING_STAGE": "prod", "MINQING_TABLE": "minqing-prod",
                              "MINQING_WECHAT_MINI_APPID": "wx123"})
    assert settings.stage == "prod"
    assert settings.table == "minqing-prod"
    assert settings.wechat_mini_appid == "wx123"


def test_unset_settings_take_the_documented_defaults() -> None:
    settings = load_settings({})
    assert settings.rating_window_days == 30
    assert settings.rectify_working_days == 15
    assert settings.complaint_due_working_days == 7
    assert settings.sms_provider == "aliyun"
    assert settings.table == "minqing"
    assert settings.log_level == "INFO"


def test_coerces_integer_settings_from_strings() -> None:
    settings = load_settings({"MINQING_RATING_WINDOW_DAYS": "45", "MINQING_RECTIFY_WORKING_DAYS": "10",
                              "MINQING_SESSION_TTL_SECONDS": "3600"})
    assert settings.rating_window_days == 45
    assert settings.rectify_working_days == 10
    assert settings.session_ttl_seconds == 3600


@pytest.mark.parametrize("value", ["0", "-1", "thirty"])
def test_rejects_a_non_positive_or_non_numeric_day_count(value: str) -> None:
    with pytest.raises(ValidationError):
        load_settings({"MINQING_RATING_WINDOW_DAYS": value})


def test_ignores_variables_without_the_minqing_prefix_and_unknown_minqing_variables() -> None:
    settings = load_settings({"STAGE": "prod", "minqing_stage": "prod", "MINQING_NO_SUCH_THING": "x"})
    assert settings.stage == "dev"


def test_reads_the_process_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINQING_STAGE", "local")
    monkeypatch.setenv("MINQING_COMPLAINT_DUE_WORKING_DAYS", "5")
    settings = load_settings()
    assert settings.stage == "local"
    assert settings.complaint_due_working_days == 5


class _NoAws:
    def client(self, name: str) -> Any:
        raise AssertionError(f"no {name} client expected")


def test_plain_values_need_no_aws_call() -> None:
    settings = load_settings({"MINQING_SESSION_KEY": "plain-key-0123456789"}, _NoAws())
    assert settings.session_key.get_secret_value() == "plain-key-0123456789"


def test_resolves_an_ssm_parameter_reference(aws: boto3.session.Session) -> None:
    aws.client("ssm").put_parameter(Name="/minqing/key", Value="session-key-from-ssm-0123", Type="SecureString")
    settings = load_settings({"MINQING_SESSION_KEY": "ssm:/minqing/key"}, aws)
    assert settings.session_key.get_secret_value() == "session-key-from-ssm-0123"


def test_resolves_a_secrets_manager_reference(aws: boto3.session.Session) -> None:
    aws.client("secretsmanager").create_secret(Name="minqing/hmac", SecretString="hmac-from-secrets-manager")
    settings = load_settings({"MINQING_BACKEND_HMAC_KEY": "secretsmanager:minqing/hmac"}, aws)
    assert settings.backend_hmac_key.get_secret_value() == "hmac-from-secrets-manager"


def test_resolves_both_kinds_of_reference_and_keeps_plain_values(aws: boto3.session.Session) -> None:
    aws.client("ssm").put_parameter(Name="/minqing/key", Value="session-key-from-ssm-0123", Type="SecureString")
    aws.client("secretsmanager").create_secret(Name="minqing/hmac", SecretString="hmac-from-secrets-manager")
    settings = load_settings({"MINQING_SESSION_KEY": "ssm:/minqing/key",
                              "MINQING_BACKEND_HMAC_KEY": "secretsmanager:minqing/hmac",
                              "MINQING_ID_PEPPER": "plain-pepper", "MINQING_RATING_WINDOW_DAYS": "20"}, aws)
    assert settings.session_key.get_secret_value() == "session-key-from-ssm-0123"
    assert settings.backend_hmac_key.get_secret_value() == "hmac-from-secrets-manager"
    assert settings.id_pepper.get_secret_value() == "plain-pepper"
    assert settings.rating_window_days == 20
    settings.require_secrets()


def test_a_reference_to_a_missing_parameter_names_it(aws: boto3.session.Session) -> None:
    aws.client("ssm").put_parameter(Name="/minqing/key", Value="present", Type="SecureString")
    with pytest.raises(MissingReference) as caught:
        load_settings({"MINQING_SESSION_KEY": "ssm:/minqing/key", "MINQING_ID_PEPPER": "ssm:/minqing/absent"}, aws)
    assert "/minqing/absent" in str(caught.value)
    assert "/minqing/key" not in str(caught.value)
    with pytest.raises(MissingReference, match="minqing/none"):
        load_settings({"MINQING_WECHAT_OA_SECRET": "secretsmanager:minqing/none"}, aws)


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_a_deployed_stage_resolves_every_reference_in_at_most_two_aws_calls(
        stage: str, aws: boto3.session.Session) -> None:
    from infra.bench.cold_start import packaged_env, seed_references

    env = packaged_env(stage)
    seed_references(aws, env)
    calls: list[str] = []
    aws.events.register("before-call.*.*", lambda model, **_: calls.append(model.name))
    settings = load_settings(env, aws)
    assert calls == ["GetParameters", "GetParameters"]
    assert settings.wechat_oa_secret.get_secret_value() == f"secret of secretsmanager:minqing/{stage}/wechat-oa-secret"
    assert settings.wechat_oa_appid == f"value of ssm:/minqing/{stage}/wechat-oa-appid"


def test_require_secrets_names_every_missing_variable() -> None:
    settings = Settings(session_key="present-session-key-0123")
    with pytest.raises(RuntimeError) as raised:
        settings.require_secrets()
    message = str(raised.value)
    assert "MINQING_BACKEND_HMAC_KEY" in message
    assert "MINQING_ID_PEPPER" in message
    assert "MINQING_SESSION_KEY" not in message


def test_require_secrets_passes_when_all_are_set() -> None:
    Settings(session_key="s" * 16, backend_hmac_key="b", id_pepper="p").require_secrets()


def test_secrets_do_not_appear_in_the_settings_repr() -> None:
    settings = Settings(session_key="SESSION-SECRET", backend_hmac_key="HMAC-SECRET", id_pepper="PEPPER-SECRET",
                        alipay_private_key="ALIPAY-SECRET", wechat_mini_secret="WX-SECRET")
    text = repr(settings) + str(settings)
    for secret in ("SESSION-SECRET", "HMAC-SECRET", "PEPPER-SECRET", "ALIPAY-SECRET", "WX-SECRET"):
        assert secret not in text


def test_json_settings_become_typed_maps() -> None:
    settings = load_settings({"MINQING_TEMPLATES": '{"wechat_mini": {"completion": "TPL-DONE"}, '
                                                   '"alipay": {"otp": 42}}',
                              "MINQING_REMINDER_THRESHOLDS": '{"business_licence": [60, 30, "7"]}'})
    assert settings.templates == {"wechat_mini": {"completion": "TPL-DONE"}, "alipay": {"otp": "42"}}
    assert settings.reminder_thresholds == {"business_licence": (60, 30, 7)}


@pytest.mark.parametrize("raw", ["", "{}"])
def test_an_empty_json_setting_is_an_empty_map(raw: str) -> None:
    assert load_settings({"MINQING_TEMPLATES": raw, "MINQING_SMS_TEMPLATES": raw}).templates == {}


def test_an_empty_quiet_hours_setting_turns_quiet_hours_off() -> None:
    assert load_settings({"MINQING_SMS_QUIET_HOURS": ""}).sms_quiet_hours == ""
    assert load_settings({}).sms_quiet_hours == "22:00-08:00"


def test_a_malformed_json_setting_names_the_variable() -> None:
    with pytest.raises(Exception, match="MINQING_SUPERVISION_CONTACTS"):
        load_settings({"MINQING_SUPERVISION_CONTACTS": "{not json"})


def test_an_integer_setting_may_be_an_ssm_reference(aws: boto3.session.Session) -> None:
    aws.client("ssm").put_parameter(Name="/minqing/window", Value="45", Type="String")
    settings = load_settings({"MINQING_RATING_WINDOW_DAYS": "ssm:/minqing/window"}, boto_session=aws)
    assert settings.rating_window_days == 45


def test_refuses_sns_sms_in_a_china_region() -> None:
    with pytest.raises(ValidationError, match="China regions"):
        load_settings({"MINQING_SMS_PROVIDER": "sns", "AWS_REGION": "cn-north-1"})
    assert load_settings({"MINQING_SMS_PROVIDER": "aliyun", "AWS_REGION": "cn-northwest-1"}).region == "cn-northwest-1"
    assert load_settings({"MINQING_SMS_PROVIDER": "sns", "AWS_REGION": "ap-southeast-1"}).sms_provider == "sns"


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_deployed_stages_send_sms_through_a_provider_offered_in_cn_north_1(stage: str) -> None:
    import json
    from pathlib import Path

    config = json.loads((Path(__file__).resolve().parents[3] / ".chalice" / "config.json").read_text())
    env = config["stages"][stage]["environment_variables"]
    assert env["MINQING_SMS_PROVIDER"] == "aliyun"
    plain = {k: v for k, v in env.items() if not v.startswith(("ssm:", "secretsmanager:"))}
    assert load_settings({**plain, "AWS_REGION": "cn-north-1"}).sms_provider == "aliyun"


@pytest.mark.parametrize("value", ["ssm:/minqing/key:3",
                                   "secretsmanager:arn:aws-cn:secretsmanager:cn-north-1:1:secret:x"])
def test_a_reference_with_a_version_or_an_arn_is_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match="without a version selector or ARN"):
        load_settings({"MINQING_SESSION_KEY": value}, _NoAws())
