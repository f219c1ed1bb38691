"""One settings object from the ``MINQING_*`` environment, built once at cold start.

Values written ``ssm:/path`` or ``secretsmanager:name`` are resolved when the settings are
built (lazily, at the first request — never at import; see docs/contract.md), all of them
through SSM ``GetParameters`` in batches of ten: a Secrets Manager secret is read as the
parameter ``/aws/reference/secretsmanager/<name>``, so a cold start makes at most
``ceil(references / 10)`` AWS calls (two for the deployed stages).
https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_origin

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)
from pydantic_settings.sources.utils import parse_env_vars

SSM_PREFIX = "ssm:"
SECRETS_PREFIX = "secretsmanager:"
SECRETS_REFERENCE = "/aws/reference/secretsmanager/"
GET_PARAMETERS_MAX = 10  # names per GetParameters call (SSM API reference, GetParameters: Names, max 10 items)
_EMPTY = SecretStr("")


class Settings(BaseSettings):
    """Every setting of a Minqing deployment: field ``x`` is env var ``MINQING_X`` (docs/contract.md)."""

    model_config = SettingsConfigDict(env_prefix="MINQING_", extra="ignore", frozen=True,
                                      coerce_numbers_to_str=True)

    stage: str = "dev"
    session_key: SecretStr = _EMPTY
    backend_hmac_key: SecretStr = _EMPTY
    id_pepper: SecretStr = _EMPTY
    wechat_api_base: str = "https://api.weixin.qq.com"
    wechat_oa_appid: str = ""
    wechat_oa_secret: SecretStr = _EMPTY
    wechat_oa_token: SecretStr = _EMPTY
    wechat_oa_aes_key: SecretStr = _EMPTY
    wechat_mini_appid: str = ""
    wechat_mini_secret: SecretStr = _EMPTY
    alipay_appid: str = ""
    alipay_private_key: SecretStr = _EMPTY
    alipay_public_key: str = ""
    alipay_gateway: str = "https://openapi.alipay.com/gateway.do"
    sms_provider: str = "aliyun"  # Amazon SNS sends no SMS in the China regions (sns: global regions only)
    rating_window_days: int = Field(default=30, ge=1)
    rectify_working_days: int = Field(default=15, ge=1)
    # Extensions (not fixed by the contract).
    wechat_oa_aes_key_previous: SecretStr = _EMPTY
    backend_key_root: SecretStr = _EMPTY  # scoped backend keys' root; unset: derived from backend_hmac_key
    wechat_oa_mode: str = ""  # plain / compatible / safe (消息加解密方式); empty: compatible with a key, else plain
    bind_url: str = "https://minqing.example.gov.cn/h5/bind"
    wechat_open_base: str = "https://open.weixin.qq.com"  # where WeChat's web OAuth authorize page lives
    table: str = "minqing"
    notice_queue_url: str = ""
    chat_queue_url: str = ""
    complaint_due_working_days: int = Field(default=7, ge=1)
    session_ttl_seconds: int = Field(default=7200, ge=60)
    sms_sender_id: str = "Minqing"
    sms_sign_name: str = "民情直通车"
    sms_templates: dict[str, str] = {}  # {kind: provider template code}
    sms_quiet_hours: str = "22:00-08:00"
    reminder_thresholds: dict[str, tuple[int, ...]] = {}  # {licence kind: days before expiry}; default 30/7/1
    supervision_contacts: dict[str, str] = {}  # {department | "default": "+86…"}
    retry_base_seconds: int = Field(default=30, ge=1)
    retry_cap_seconds: int = Field(default=900, ge=1)
    max_transient_attempts: int = Field(default=5, ge=1)
    otp_global_per_minute: int = Field(default=300, ge=1)  # codes a minute across the deployment (SMS pumping)
    notice_max_age_seconds: int = Field(default=3 * 86400, ge=60)  # older and still undelivered: failed
    aliyun_access_key_id: str = ""
    aliyun_access_key_secret: SecretStr = _EMPTY
    aliyun_sms_endpoint: str = "https://dysmsapi.aliyuncs.com/"
    templates: dict[str, dict[str, str]] = {}  # {channel: {notice kind: template id}}
    log_level: str = "INFO"
    region: str = ""  # the AWS region (Lambda's ``AWS_REGION``) unless ``MINQING_REGION`` says otherwise
    sms_uplink_token: SecretStr = _EMPTY  # secret part of the provider's uplink push URL
    inbound_sms_topic_arn: str = ""  # where uplink SMS are handed to the one inbound consumer

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   **_: PydanticBaseSettingsSource) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only what ``load_settings`` (or a test) passes: the environment is read there, once."""
        return (init_settings,)

    @model_validator(mode="after")
    def _choices_offered_where_deployed(self) -> Settings:
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

    @property
    def h5_base(self) -> str:
        """The citizen pages' root, ``…/h5/``: where ``bind_url`` lives (WeChat's OAuth returns under it)."""
        return self.bind_url.rsplit("/", 1)[0] + "/"

    def oa_mode(self) -> str:
        """The official account's message mode as WeChat's console sets it (明文/兼容/安全模式)."""
        return self.wechat_oa_mode or ("compatible" if self.wechat_oa_aes_key.get_secret_value() else "plain")

    def require_secrets(self) -> None:
        """Fail fast when a secret the core cannot run without is missing."""
        required = {"session_key": self.session_key, "backend_hmac_key": self.backend_hmac_key,
                    "id_pepper": self.id_pepper}
        missing = [name for name, value in required.items() if not value.get_secret_value()]
        if self.wechat_oa_mode == "safe" and not self.wechat_oa_aes_key.get_secret_value():
            missing.append("wechat_oa_aes_key")  # safe mode cannot read a single message without it
        if missing:
            raise RuntimeError("missing settings: " + ", ".join("MINQING_" + n.upper() for n in missing))


class MissingReference(RuntimeError):
    """An ``ssm:``/``secretsmanager:`` value names a parameter or secret that does not exist."""


def reference_name(value: str) -> str | None:
    """The SSM parameter name a setting value refers to, or None for a plain value."""
    if value.startswith(SSM_PREFIX):
        name = value[len(SSM_PREFIX):]
    elif value.startswith(SECRETS_PREFIX):
        name = SECRETS_REFERENCE + value[len(SECRETS_PREFIX):]
    else:
        return None
    if ":" in name:  # a version selector or an ARN: GetParameters answers under another name
        raise ValueError(f"{value!r}: name the parameter or secret without a version selector or ARN")
    return name


def resolve_references(values: Mapping[str, str], ssm: Any) -> dict[str, str]:
    """Replace every reference with what SSM (or Secrets Manager through SSM) holds, ten names a call."""
    wanted = {name: ref for name, value in values.items() if (ref := reference_name(value))}
    names = sorted(set(wanted.values()))
    found: dict[str, str] = {}
    for start in range(0, len(names), GET_PARAMETERS_MAX):
        try:
            out = ssm.get_parameters(Names=names[start:start + GET_PARAMETERS_MAX], WithDecryption=True)
        except Exception as exc:  # a missing secret fails the whole call (ParameterNotFound)
            if getattr(exc, "response", {}).get("Error", {}).get("Code") != "ParameterNotFound":
                raise
            raise MissingReference(f"settings refer to a missing secret: {exc}") from None
        for parameter in out.get("Parameters", []):
            found[_requested_name(parameter)] = parameter["Value"]
    missing = sorted({ref for ref in names if ref not in found})
    if missing:
        raise MissingReference("settings refer to missing parameters or secrets: " + ", ".join(missing))
    return {name: found[wanted[name]] if name in wanted else value for name, value in values.items()}


def _requested_name(parameter: Mapping[str, Any]) -> str:
    """The name a parameter was asked by: a secret read through SSM may come back under its own name."""
    name = str(parameter["Name"])
    if "SourceResult" in parameter and not name.startswith(SECRETS_REFERENCE):
        return SECRETS_REFERENCE + name
    return name


def load_settings(environ: Mapping[str, str] | None = None, boto_session: Any = None) -> Settings:
    """Build the settings from ``environ`` (default: the process env), resolving references."""
    if environ is None:
        import os

        environ = os.environ
    values = _minqing_variables(environ)
    if any(reference_name(v) for v in values.values()):
        if boto_session is None:
            import boto3

            boto_session = boto3.session.Session()
        values = resolve_references(values, boto_session.client("ssm"))
    try:
        parsed = _EnvMapping(Settings, values)()
    except SettingsError as exc:  # names the field; say the variable an operator sets
        field = str(exc).split('"')[1] if '"' in str(exc) else "?"
        raise ValueError(f"MINQING_{field.upper()} is not valid JSON for its kind of setting") from None
    return Settings(**parsed)


class _EnvMapping(EnvSettingsSource):
    """pydantic-settings' environment parsing (JSON for dicts, empty means unset) over a given mapping."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]):
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


def _minqing_variables(environ: Mapping[str, str]) -> dict[str, str]:
    """The ``MINQING_*`` variables; an empty JSON map setting means ``{}`` (other empty values stay empty:
    ``MINQING_SMS_QUIET_HOURS=`` turns quiet hours off)."""
    maps = {"MINQING_" + n.upper() for n, f in Settings.model_fields.items() if get_origin(f.annotation) is dict}
    values = {k: v for k, v in environ.items() if k.startswith("MINQING_") and not (k in maps and not v.strip())}
    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
    if region and "MINQING_REGION" not in values:
        values["MINQING_REGION"] = region
    return values
