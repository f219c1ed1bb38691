"""How each channel's adapters are built from the settings (called by ``bootstrap`` only).

Every channel class is imported here at the first request, never at cold import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from channels.alipay.gateway import AlipayGateway
    from channels.sms.inbound import InboundSms
    from channels.sms.uplink import AliyunUplink
    from channels.wechat.api import WeChatApi
    from channels.wechat.oa import DeferredAnswers, OfficialAccount
    from shared.clock import Clock
    from shared.config import Settings
    from shared.ports import ChannelNotifier, LoginExchange, SmsSender
    from shared.services.conversation import Conversation
    from shared.services.inbound import InboundLog
    from shared.services.notices import NoticeService
    from shared.storage.dynamo import Table


def sms_sender(settings: Settings, session: Any) -> SmsSender:
    """The SMS provider the settings name (Aliyun in the China regions)."""
    if settings.sms_provider == "sns":
        from channels.sms.sns import SnsSmsSender
        from shared.aws import LazyClient

        return SnsSmsSender(LazyClient(session, "sns"), settings.sms_sender_id)
    from channels.sms.aliyun import AliyunSmsSender  # the only other provider Settings accepts

    return AliyunSmsSender(settings.aliyun_access_key_id, settings.aliyun_access_key_secret.get_secret_value(),
                           settings.sms_sign_name, settings.sms_templates, settings.aliyun_sms_endpoint)


def alipay_gateway(settings: Settings) -> AlipayGateway:
    """The signed Alipay open-platform gateway."""
    from channels.alipay.gateway import AlipayGateway

    return AlipayGateway(settings.alipay_appid, settings.alipay_private_key.get_secret_value(),
                         settings.alipay_public_key, settings.alipay_gateway)


def wechat_apis(settings: Settings, table: Table, clock: Clock) -> dict[str, WeChatApi]:
    """One API client per configured WeChat app (``wechat_mini``, ``wechat_oa``), each with its shared
    access-token store."""
    from channels.wechat.access_tokens import AccessTokenStore
    from channels.wechat.api import WeChatApi, stable_token_fetcher

    apps = {"wechat_mini": (settings.wechat_mini_appid, settings.wechat_mini_secret),
            "wechat_oa": (settings.wechat_oa_appid, settings.wechat_oa_secret)}
    apis = {}
    for channel, (appid, secret) in apps.items():
        if appid:
            fetch = stable_token_fetcher(settings.wechat_api_base, appid, secret.get_secret_value())
            apis[channel] = WeChatApi(settings.wechat_api_base, AccessTokenStore(table, appid, fetch, clock))
    return apis


def notifiers(settings: Settings, sms: SmsSender, apis: dict[str, WeChatApi], alipay: AlipayGateway,
              clock: Clock) -> dict[str, ChannelNotifier]:
    """A notifier per configured channel; SMS always."""
    from channels.sms.aliyun import SmsRejected
    from channels.sms.notifier import SmsNotifier

    built: dict[str, ChannelNotifier] = {"sms": SmsNotifier(sms, (SmsRejected,), settings.sms_quiet_hours, clock)}
    templates = settings.templates
    if "wechat_mini" in apis:
        from channels.wechat.notify import MiniSubscribeNotifier

        built["wechat_mini"] = MiniSubscribeNotifier(apis["wechat_mini"], templates.get("wechat_mini", {}))
    if "wechat_oa" in apis:
        from channels.wechat.notify import OaTemplateNotifier

        built["wechat_oa"] = OaTemplateNotifier(apis["wechat_oa"], templates.get("wechat_oa", {}), settings.bind_url)
    if settings.alipay_appid and settings.alipay_private_key.get_secret_value():
        from channels.alipay.notify import AlipayNotifier

        built["alipay"] = AlipayNotifier(alipay, templates.get("alipay", {}))
    return built


def logins(settings: Settings, alipay: AlipayGateway) -> dict[str, LoginExchange]:
    """The code exchanges of the configured channels that sign citizens in (others answer 503)."""
    from channels.alipay.login import AlipayOAuth
    from channels.wechat.login import Code2Session, OaWebOAuth

    base, built = settings.wechat_api_base, {}
    if settings.wechat_mini_appid:
        built["wechat_mini"] = Code2Session(base, settings.wechat_mini_appid,
                                            settings.wechat_mini_secret.get_secret_value())
    if settings.wechat_oa_appid:
        built["wechat_oa"] = OaWebOAuth(base, settings.wechat_oa_appid, settings.wechat_oa_secret.get_secret_value())
    if settings.alipay_appid and settings.alipay_private_key.get_secret_value():
        built["alipay"] = AlipayOAuth(alipay)
    return built


def official_account(settings: Settings, conversation: Conversation, inbound: InboundLog, clock: Clock,
                     defer: Callable[[dict[str, Any]], None] | None) -> OfficialAccount:
    """The official account's message endpoint in the mode its console is set to."""
    from channels.wechat.crypto import MessageCrypto
    from channels.wechat.oa import OfficialAccount

    token = settings.wechat_oa_token.get_secret_value()
    keys = [k.get_secret_value() for k in (settings.wechat_oa_aes_key, settings.wechat_oa_aes_key_previous)]
    keys = [k for k in keys if k]
    crypto = MessageCrypto(token, settings.wechat_oa_appid, keys) if keys else None
    return OfficialAccount(token, settings.wechat_oa_appid, crypto, conversation, inbound, clock, defer,
                           settings.oa_mode())


def deferred_answers(conversation: Conversation, inbound: InboundLog, outbox: NoticeService) -> DeferredAnswers:
    """OA answers that missed WeChat's five seconds, sent later as notices."""
    from channels.wechat.oa import DeferredAnswers

    return DeferredAnswers(conversation, inbound, outbox)


def inbound_sms(conversation: Conversation, inbound: InboundLog, outbox: NoticeService) -> InboundSms:
    """The one consumer of uplink SMS."""
    from channels.sms.inbound import InboundSms

    return InboundSms(conversation, inbound, outbox)


def sms_uplink(settings: Settings, session: Any) -> AliyunUplink:
    """The provider's uplink push endpoint, handing each SMS to the inbound topic."""
    from channels.sms.uplink import AliyunUplink
    from shared.aws import LazyClient, SnsTopic

    topic = SnsTopic(LazyClient(session, "sns"), settings.inbound_sms_topic_arn, "MINQING_INBOUND_SMS_TOPIC_ARN")
    return AliyunUplink(settings.sms_uplink_token.get_secret_value(), topic.publish)
