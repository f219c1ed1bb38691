"""One settings object from the ``MINQING_*`` environment, built once at cold start.

Values written ``ssm:/path`` or ``secretsmanager:name`` are resolved once, when the
settings are built (lazily, at the first request — never at import; see local.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

SSM_PREFIX = "ssm:"
SECRETS_PREFIX = "secretsmanager:"


class Settings(BaseModel):
    """Every setting of a Minqing deployment: field ``x`` is env var ``MINQING_X`` (api.md)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    stage: str = "dev"
    session_key: str = Field(default="", repr=False)
    backend_hmac_key: str = Field(default="", repr=False)
    id_pepper: str = Field(default="", repr=False)
    wechat_api_base: str = "https://api.weixin.qq.com"
    wechat_oa_appid: str = ""
    wechat_oa_secret: str = Field(default="", repr=False)
    wechat_oa_token: str = Field(default="", repr=False)
    wechat_oa_aes_key: str = Field(default="", repr=False)
    wechat_mini_appid: str = ""
    wechat_mini_secret: str = Field(default="", repr=False)
    alipay_appid: str = ""
    alipay_private_key: str = Field(default="", repr=False)
    alipay_public_key: str = ""
    alipay_gateway: str = "https://openapi.alipay.com/gateway.do"
    sms_provider: str = "aliyun"  # Amazon SNS sends no SMS in the China regions (sns: global regions only)
    rating_window_days: int = Field(default=30, ge=1)
    rectify_working_days: int = Field(default=15, ge=1)
    # Extensions (not fixed by api.md).
    wechat_oa_aes_key_previous: str = Field(default="", repr=False)
    wechat_oa_mode: str = ""  # plain / compatible / safe (消息加解密方式); empty: compatible with a key, else plain
    bind_url: str = "https://minqing.example.gov.cn/h5/bind"
    table: str = "minqing"
    notice_queue_url: str = ""
    chat_queue_url: str = ""
    complaint_due_working_days: int = Field(default=7, ge=1)
    session_ttl_seconds: int = Field(default=7200, ge=60)
    sms_sender_id: str = "Minqing"
    sms_sign_name: str = "民情直通车"
    sms_templates: str = "{}"
    sms_quiet_hours: str = "22:00-08:00"
    reminder_thresholds: str = "{}"
    supervision_contacts: str = "{}"
    retry_base_seconds: int = Field(default=30, ge=1)
    retry_cap_seconds: int = Field(default=900, ge=1)
    max_transient_attempts: int = Field(default=5, ge=1)
    otp_global_per_minute: int = Field(default=300, ge=1)  # codes a minute across the deployment (SMS pumping)
    notice_max_age_seconds: int = Field(default=3 * 86400, ge=60)  # older and still undelivered: failed
    aliyun_access_key_id: str = ""
    aliyun_access_key_secret: str = Field(default="", repr=False)
    aliyun_sms_endpoint: str = "https://dysmsapi.aliyuncs.com/"
    templates: str = "{}"
    log_level: str = "INFO"
    region: str = ""  # the AWS region (Lambda's ``AWS_REGION``) unless ``MINQING_REGION`` says otherwise
    sms_uplink_token: str = Field(default="", repr=False)  # secret part of the provider's uplink push URL
    inbound_sms_topic_arn: str = ""  # where uplink SMS are handed to the one inbound consumer

    @model_validator(mode="after")
    def _sms_provider_offered_in_region(self) -> Settings:
        """SNS SMS is not offered in AWS China regions: refuse ``sns`` there.
        https://docs.amazonaws.cn/en_us/aws/latest/userguide/sns.html (feature differences)"""
        if self.sms_provider == "sns" and self.region.startswith("cn-"):
            raise ValueError(f"MINQING_SMS_PROVIDER=sns does not work in {self.region}: Amazon SNS sends no SMS in "
                             "the China regions; use aliyun")
        if self.sms_provider not in ("sns", "aliyun"):
            raise ValueError(f"unknown MINQING_SMS_PROVIDER {self.sms_provider!r} (sns or aliyun)")
        if self.wechat_oa_mode not in ("", "plain", "compatible", "safe"):
            raise ValueError(f"unknown MINQING_WECHAT_OA_MODE {self.wechat_oa_mode!r} (plain, compatible or safe)")
        return self

    def oa_mode(self) -> str:
        """The official account's message mode as WeChat's console sets it (明文/兼容/安全模式)."""
        return self.wechat_oa_mode or ("compatible" if self.wechat_oa_aes_key else "plain")

    def template_map(self) -> dict[str, dict[str, str]]:
        """``{channel: {notice_kind: template_id}}`` from ``MINQING_TEMPLATES`` (JSON)."""
        return {ch: {str(k): str(v) for k, v in kinds.items()} for ch, kinds in _json(self.templates).items()}

    def reminder_threshold_map(self) -> dict[str, tuple[int, ...]]:
        """``{licence kind: (days before expiry…)}`` from ``MINQING_REMINDER_THRESHOLDS`` (default 30/7/1)."""
        return {k: tuple(int(d) for d in v) for k, v in _json(self.reminder_thresholds).items()}

    def sms_template_map(self) -> dict[str, str]:
        """``{kind: provider template code}`` from ``MINQING_SMS_TEMPLATES`` (JSON)."""
        return {k: str(v) for k, v in _json(self.sms_templates).items()}

    def supervision_contact_map(self) -> dict[str, str]:
        """``{department | "default": "+86…"}`` from ``MINQING_SUPERVISION_CONTACTS`` (JSON)."""
        return {k: str(v) for k, v in _json(self.supervision_contacts).items()}

    def require_secrets(self) -> None:
        """Fail fast when a secret the core cannot run without is missing."""
        missing = [n for n in ("session_key", "backend_hmac_key", "id_pepper") if not getattr(self, n)]
        if self.wechat_oa_mode == "safe" and not self.wechat_oa_aes_key:
            missing.append("wechat_oa_aes_key")  # safe mode cannot read a single message without it
        if missing:
            raise RuntimeError("missing settings: " + ", ".join("MINQING_" + n.upper() for n in missing))


def _json(value: str) -> dict[str, Any]:
    """A JSON object setting (empty means ``{}``), keys as strings."""
    return {str(k): v for k, v in json.loads(value or "{}").items()}


def resolve_references(values: Mapping[str, Any], ssm: Any = None, secrets: Any = None) -> dict[str, Any]:
    """Replace ``ssm:`` and ``secretsmanager:`` values with what those services hold."""
    out = dict(values)
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if value.startswith(SSM_PREFIX):
            out[name] = ssm.get_parameter(Name=value[len(SSM_PREFIX):], WithDecryption=True)["Parameter"]["Value"]
        elif value.startswith(SECRETS_PREFIX):
            out[name] = secrets.get_secret_value(SecretId=value[len(SECRETS_PREFIX):])["SecretString"]
    return out


def load_settings(environ: Mapping[str, str] | None = None, boto_session: Any = None) -> Settings:
    """Build the settings from ``environ`` (default: the process env), resolving references."""
    if environ is None:
        import os

        environ = os.environ
    values = _from_mapping(environ)
    needs = [v for v in values.values() if v.startswith((SSM_PREFIX, SECRETS_PREFIX))]
    if not needs:
        return Settings(**values)
    if boto_session is None:
        import boto3

        boto_session = boto3.session.Session()
    ssm = boto_session.client("ssm") if any(v.startswith(SSM_PREFIX) for v in needs) else None
    secrets = boto_session.client("secretsmanager") if any(v.startswith(SECRETS_PREFIX) for v in needs) else None
    return Settings(**resolve_references(values, ssm, secrets))


def _from_mapping(environ: Mapping[str, str]) -> dict[str, str]:
    prefix = "MINQING_"
    values = {k[len(prefix):].lower(): v for k, v in environ.items() if k.startswith(prefix)}
    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
    if region and "region" not in values:
        values["region"] = region
    return values
