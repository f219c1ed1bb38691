"""The one place adapters are wired to the core; built lazily at the first request.

Tests call ``bootstrap(...)`` with fakes and ``install(...)`` the result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the wiring below imports these at the first request, not at cold import
    from channels.alipay.gateway import AlipayGateway
    from channels.sms.inbound import InboundSms
    from channels.sms.uplink import AliyunUplink
    from channels.wechat.oa import DeferredAnswers, OfficialAccount
    from shared.clock import Clock
    from shared.config import Settings
    from shared.ports import ApprovalBackend, ChannelNotifier, NoticeQueue, SmsSender
    from shared.services.applications import ApplicationService
    from shared.services.backend_auth import BackendVerifier
    from shared.services.complaints import ComplaintService
    from shared.services.conversation import Conversation
    from shared.services.delivery import DeliveryService
    from shared.services.identity import IdentityService
    from shared.services.invites import RatingInvites
    from shared.services.licences import LicenceService
    from shared.services.notices import NoticeService
    from shared.services.rectifications import RectificationService
    from shared.services.reminders import ReminderService
    from shared.services.reports import ReportService
    from shared.services.subscriptions import SubscriptionService
    from shared.services.supervision import Supervision
    from shared.storage.dynamo import Table


@dataclass
class Services:
    """Everything an entry point may call."""

    settings: Settings
    clock: Clock
    table: Table
    approval: ApprovalBackend
    identity: IdentityService
    applications: ApplicationService
    complaints: ComplaintService
    rectifications: RectificationService
    licences: LicenceService
    subscriptions: SubscriptionService
    notices: NoticeService
    backend_auth: BackendVerifier
    delivery: DeliveryService
    conversation: Conversation
    wechat_oa: OfficialAccount
    deferred_answers: DeferredAnswers
    sms_inbound: InboundSms
    sms_uplink: AliyunUplink
    reminders: ReminderService
    invites: RatingInvites
    supervision: Supervision
    reports: ReportService
    alipay: AlipayGateway


def bootstrap(settings: Settings | None = None, *, session: Any = None, dynamodb: Any = None,
              sms: SmsSender | None = None, queue: NoticeQueue | None = None, clock: Clock | None = None,
              approval: ApprovalBackend | None = None,
              notifiers: dict[str, ChannelNotifier] | None = None,
              chat_queue: Callable[[dict[str, Any]], None] | None = None) -> Services:
    """Wire real adapters unless fakes are passed."""
    from shared.approval.builtin import BuiltinApprovalBackend
    from shared.clock import SystemClock
    from shared.config import load_settings
    from shared.logs import configure
    from shared.services.applications import ApplicationService
    from shared.services.backend_auth import BackendVerifier
    from shared.services.complaints import ComplaintService
    from shared.services.conversation import Conversation
    from shared.services.delivery import DeliveryService
    from shared.services.identity import IdentityService
    from shared.services.inbound import InboundLog
    from shared.services.invites import RatingInvites
    from shared.services.licences import LicenceService
    from shared.services.notices import NoticeService, PendingOnlyQueue, SqsNoticeQueue
    from shared.services.otp import OtpService
    from shared.services.rectifications import RectificationService
    from shared.services.reminders import ReminderService
    from shared.services.reports import ReportService
    from shared.services.subscriptions import SubscriptionService
    from shared.services.supervision import Supervision
    from shared.storage.dynamo import Table
    from shared.tokens import SessionTokens

    if session is None:
        import boto3

        session = boto3.session.Session()
    settings = settings or load_settings(boto_session=session)
    settings.require_secrets()
    configure(settings.log_level)
    clock = clock or SystemClock()
    table = Table(dynamodb or session.client("dynamodb"), settings.table)
    if sms is None:
        from shared.services.sms_limits import LimitedSmsSender, SmsLimiter

        sms = LimitedSmsSender(_sms_sender(settings, session), SmsLimiter(table, clock))
    if queue is None:
        queue = SqsNoticeQueue(LazyClient(session, "sqs"), settings.notice_queue_url) if settings.notice_queue_url \
            else PendingOnlyQueue()
    approval = approval or BuiltinApprovalBackend()
    pepper = settings.id_pepper
    from shared.services.notice_policy import NoticePolicy

    notices = NoticeService(table, queue, clock, NoticePolicy(settings.supervision_contact_map()))
    otp = OtpService(table, sms, pepper, clock, settings.otp_global_per_minute)
    identity = IdentityService(table, SessionTokens(settings.session_key, settings.session_ttl_seconds),
                               otp, pepper, clock)
    applications = ApplicationService(table, approval, notices, clock,
                                      rating_window_days=settings.rating_window_days,
                                      rectify_working_days=settings.rectify_working_days)
    complaints = ComplaintService(table, notices, clock, settings.complaint_due_working_days)
    subscriptions = SubscriptionService(table, settings.template_map())
    inbound = InboundLog(table, clock)
    from channels.alipay.gateway import AlipayGateway

    alipay = AlipayGateway(settings.alipay_appid, settings.alipay_private_key, settings.alipay_public_key,
                           settings.alipay_gateway)
    if chat_queue is None and settings.chat_queue_url:
        from shared.queue import SqsJsonQueue

        chat_queue = SqsJsonQueue(LazyClient(session, "sqs"), settings.chat_queue_url).send
    conversation = Conversation(identity, applications, complaints, settings.bind_url,
                                settings.rating_window_days)
    return Services(
        settings=settings, clock=clock, table=table, approval=approval,
        identity=identity, applications=applications, complaints=complaints,
        rectifications=RectificationService(table, clock),
        licences=LicenceService(table, pepper, clock),
        subscriptions=subscriptions,
        notices=notices,
        backend_auth=BackendVerifier(table, settings.backend_hmac_key, clock),
        delivery=DeliveryService(table, notifiers or _notifiers(settings, sms, table, clock, alipay), clock, notices,
                                 subscriptions, max_transient=settings.max_transient_attempts,
                                 retry_base=settings.retry_base_seconds, retry_cap=settings.retry_cap_seconds,
                                 max_age=settings.notice_max_age_seconds),
        conversation=conversation,
        wechat_oa=_official_account(settings, conversation, inbound, clock, chat_queue),
        deferred_answers=_deferred_answers(conversation, inbound, notices),
        alipay=alipay,
        sms_inbound=_inbound_sms(conversation, inbound, notices),
        sms_uplink=_sms_uplink(settings, session),
        reminders=ReminderService(table, notices, settings.reminder_threshold_map()),
        invites=RatingInvites(table, notices, settings.rating_window_days),
        supervision=Supervision(table, notices),
        reports=ReportService(table),
    )


def _sms_sender(settings: Settings, session: Any) -> SmsSender:
    if settings.sms_provider == "sns":
        from channels.sms.sns import SnsSmsSender

        return SnsSmsSender(LazyClient(session, "sns"), settings.sms_sender_id)
    from channels.sms.aliyun import AliyunSmsSender  # the only other provider Settings accepts

    return AliyunSmsSender(settings.aliyun_access_key_id, settings.aliyun_access_key_secret,
                           settings.sms_sign_name, settings.sms_template_map(), settings.aliyun_sms_endpoint)


def _notifiers(settings: Settings, sms: SmsSender, table: Table, clock: Clock,
               alipay: AlipayGateway) -> dict[str, ChannelNotifier]:
    from channels.sms.aliyun import SmsRejected
    from channels.sms.notifier import SmsNotifier

    notifiers: dict[str, ChannelNotifier] = {"sms": SmsNotifier(sms, (SmsRejected,), settings.sms_quiet_hours, clock)}
    templates = settings.template_map()
    if settings.wechat_mini_appid:
        from channels.wechat.notify import MiniSubscribeNotifier

        api = wechat_api(settings, table, clock, settings.wechat_mini_appid, settings.wechat_mini_secret)
        notifiers["wechat_mini"] = MiniSubscribeNotifier(api, templates.get("wechat_mini", {}))
    if settings.wechat_oa_appid:
        from channels.wechat.notify import OaTemplateNotifier

        api = wechat_api(settings, table, clock, settings.wechat_oa_appid, settings.wechat_oa_secret)
        notifiers["wechat_oa"] = OaTemplateNotifier(api, templates.get("wechat_oa", {}), settings.bind_url)
    if settings.alipay_appid and settings.alipay_private_key:
        from channels.alipay.notify import AlipayNotifier

        notifiers["alipay"] = AlipayNotifier(alipay, templates.get("alipay", {}))
    return notifiers


def wechat_api(settings: Settings, table: Table, clock: Clock, appid: str, secret: str) -> Any:
    """A WeChat API client for one appid with its shared access-token store."""
    from channels.wechat.api import WeChatApi, stable_token_fetcher
    from channels.wechat.tokens import AccessTokenStore

    fetch = stable_token_fetcher(settings.wechat_api_base, appid, secret)
    return WeChatApi(settings.wechat_api_base, AccessTokenStore(table, appid, fetch, clock))


def _official_account(settings: Settings, conversation: Conversation, inbound: Any, clock: Clock,
                      defer: Callable[[dict[str, Any]], None] | None) -> OfficialAccount:
    from channels.wechat.crypto import MessageCrypto
    from channels.wechat.oa import OfficialAccount

    keys = [k for k in (settings.wechat_oa_aes_key, settings.wechat_oa_aes_key_previous) if k]
    crypto = MessageCrypto(settings.wechat_oa_token, settings.wechat_oa_appid, keys) if keys else None
    return OfficialAccount(settings.wechat_oa_token, settings.wechat_oa_appid, crypto, conversation, inbound, clock,
                           defer, settings.oa_mode())


def _deferred_answers(conversation: Conversation, inbound: Any, notices: NoticeService) -> DeferredAnswers:
    from channels.wechat.oa import DeferredAnswers

    return DeferredAnswers(conversation, inbound, notices)


def _inbound_sms(conversation: Conversation, inbound: Any, notices: NoticeService) -> InboundSms:
    from channels.sms.inbound import InboundSms

    return InboundSms(conversation, inbound, notices)


def _sms_uplink(settings: Settings, session: Any) -> AliyunUplink:
    from channels.sms.uplink import AliyunUplink

    sns, topic = LazyClient(session, "sns"), settings.inbound_sms_topic_arn

    def publish(message: str) -> None:
        if not topic:
            raise RuntimeError("MINQING_INBOUND_SMS_TOPIC_ARN is not set")
        sns.publish(TopicArn=topic, Message=message)

    return AliyunUplink(settings.sms_uplink_token, publish)


class LazyClient:
    """A boto3 client created at its first call: a cold start pays only for the services it uses."""

    def __init__(self, session: Any, service: str):
        self._session, self._service, self._client = session, service, None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._session.client(self._service)
        return getattr(self._client, name)


_lock = threading.Lock()
_services: Services | None = None


def services() -> Services:
    """The process-wide services, built once (cold start, first request)."""
    global _services
    if _services is None:
        with _lock:
            if _services is None:
                _services = bootstrap()
    return _services


def install(built: Services | None) -> None:
    """Replace the process-wide services (tests), or forget them with None."""
    global _services
    _services = built
