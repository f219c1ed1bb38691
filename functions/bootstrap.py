"""The one place adapters are wired to the core; built lazily at the first request.

``cold_start()`` loads the settings (resolving their references), checks the secrets and sets up
logging, then calls ``bootstrap()``, which only wires. Tests call ``bootstrap(...)`` with fakes
and ``install(...)`` the result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the wiring below imports these at the first request, not at cold import
    from channels.sms.inbound import InboundSms
    from channels.sms.uplink import AliyunUplink
    from channels.wechat.oa import DeferredAnswers, OfficialAccount
    from shared.clock import Clock
    from shared.config import Settings
    from shared.ports import ApprovalBackend, ChannelNotifier, LoginExchange, NoticeQueue, SmsSender
    from shared.services.answers import AnswerService
    from shared.services.applications import ApplicationService
    from shared.services.backend_auth import BackendVerifier
    from shared.services.backend_keys import BackendKeyService
    from shared.services.complaints import ComplaintService
    from shared.services.console_work import ConsoleWork
    from shared.services.conversation import Conversation
    from shared.services.delivery import DeliveryService
    from shared.services.identity import IdentityService
    from shared.services.invites import RatingInvites
    from shared.services.licences import LicenceService
    from shared.services.notices import NoticeService
    from shared.services.portal import PortalSessions
    from shared.services.rectifications import RectificationService
    from shared.services.reminders import ReminderService
    from shared.services.reports import ReportService
    from shared.services.staff import StaffService
    from shared.services.subscriptions import SubscriptionService
    from shared.services.supervision import Supervision
    from shared.storage.dynamo import Table
    from shared.storage.ports import UnitOfWorkFactory


@dataclass
class Services:
    """Everything an entry point may call."""

    settings: Settings
    clock: Clock
    table: Table
    uow: UnitOfWorkFactory
    approval: ApprovalBackend
    answers: AnswerService
    portal: PortalSessions
    identity: IdentityService
    applications: ApplicationService
    complaints: ComplaintService
    rectifications: RectificationService
    licences: LicenceService
    subscriptions: SubscriptionService
    notices: NoticeService
    backend_auth: BackendVerifier
    backend_keys: BackendKeyService
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
    staff: StaffService
    console_work: ConsoleWork


def cold_start(session: Any = None) -> Services:
    """What a cold start's first request does: settings (references resolved), secrets checked,
    logging configured, then the wiring."""
    import boto3

    from shared.config import load_settings
    from shared.logs import configure

    session = session or boto3.session.Session()
    settings = load_settings(boto_session=session)
    settings.require_secrets()
    configure(settings.log_level)
    return bootstrap(settings, session=session)


def bootstrap(settings: Settings, *, session: Any = None, dynamodb: Any = None,
              sms: SmsSender | None = None, queue: NoticeQueue | None = None, clock: Clock | None = None,
              approval: ApprovalBackend | None = None,
              notifiers: dict[str, ChannelNotifier] | None = None,
              chat_queue: Callable[[dict[str, Any]], None] | None = None,
              logins: dict[str, LoginExchange] | None = None) -> Services:
    """Wire real adapters unless fakes are passed."""
    from functions import channel_wiring as wire
    from shared.approval.builtin import BuiltinApprovalBackend
    from shared.aws import LazyClient, SqsJsonQueue, SqsNoticeQueue
    from shared.clock import SystemClock
    from shared.services.answers import AnswerService
    from shared.services.applications import ApplicationService
    from shared.services.backend_auth import BackendVerifier
    from shared.services.backend_keys import BackendKeyService, key_root
    from shared.services.complaints import ComplaintService
    from shared.services.console_work import ConsoleWork
    from shared.services.conversation import Conversation
    from shared.services.delivery import DeliveryService
    from shared.services.identity import IdentityService
    from shared.services.inbound import InboundLog
    from shared.services.invites import RatingInvites
    from shared.services.licences import LicenceService
    from shared.services.notice_policy import NoticePolicy
    from shared.services.notices import NoticeService, PendingOnlyQueue
    from shared.services.otp import OtpService
    from shared.services.portal import PortalSessions
    from shared.services.rectifications import RectificationService
    from shared.services.reminders import ReminderService
    from shared.services.reports import ReportService
    from shared.services.sms_limits import LimitedSmsSender, SmsLimiter
    from shared.services.staff import StaffService
    from shared.services.subscriptions import SubscriptionService
    from shared.services.supervision import Supervision
    from shared.sessions import SessionTokens
    from shared.storage.dynamo import Table
    from shared.storage.dynamo_unit import DynamoUnitOfWork

    if session is None:
        import boto3

        session = boto3.session.Session()
    clock = clock or SystemClock()
    table = Table(dynamodb or session.client("dynamodb"), settings.table)
    uow = partial(DynamoUnitOfWork, table)
    sms = sms or LimitedSmsSender(wire.sms_sender(settings, session), SmsLimiter(uow, clock))
    if queue is None:
        queue = SqsNoticeQueue(LazyClient(session, "sqs"), settings.notice_queue_url) if settings.notice_queue_url \
            else PendingOnlyQueue()
    if chat_queue is None and settings.chat_queue_url:
        chat_queue = SqsJsonQueue(LazyClient(session, "sqs"), settings.chat_queue_url).send
    approval = approval or BuiltinApprovalBackend()
    pepper = settings.id_pepper.get_secret_value()
    alipay = wire.alipay_gateway(settings)
    notices = NoticeService(uow, queue, clock, NoticePolicy(settings.supervision_contacts))
    otp = OtpService(uow, sms, pepper, clock, settings.otp_global_per_minute)
    tokens = SessionTokens(settings.session_key.get_secret_value(), settings.session_ttl_seconds)
    identity = IdentityService(uow, tokens, otp, pepper, clock, logins or wire.logins(settings, alipay))
    applications = ApplicationService(uow, approval, notices, clock,
                                      rating_window_days=settings.rating_window_days,
                                      rectify_working_days=settings.rectify_working_days)
    complaints = ComplaintService(uow, notices, clock, settings.complaint_due_working_days)
    rectifications = RectificationService(uow, clock)
    subscriptions = SubscriptionService(uow, settings.templates)
    inbound = InboundLog(uow, clock)
    answers = AnswerService(approval)
    conversation = Conversation(identity, applications, complaints, answers, settings.bind_url,
                                settings.rating_window_days)
    backend_keys = BackendKeyService(uow, clock, key_root(settings.backend_key_root.get_secret_value(),
                                                          settings.backend_hmac_key.get_secret_value()))
    notifiers = notifiers or wire.notifiers(settings, sms, wire.wechat_apis(settings, table, clock), alipay, clock)
    return Services(
        settings=settings, clock=clock, table=table, uow=uow, approval=approval, answers=answers,
        portal=PortalSessions(settings.session_key.get_secret_value(), clock),
        identity=identity, applications=applications, complaints=complaints,
        rectifications=rectifications,
        staff=StaffService(uow, clock, settings.session_key.get_secret_value()),
        console_work=ConsoleWork(uow, complaints, rectifications, notices, clock.now),
        licences=LicenceService(uow, pepper, clock),
        subscriptions=subscriptions,
        notices=notices,
        backend_keys=backend_keys,
        backend_auth=BackendVerifier(uow, settings.backend_hmac_key.get_secret_value(), clock, backend_keys),
        delivery=DeliveryService(uow, notifiers, clock, notices, subscriptions,
                                 max_transient=settings.max_transient_attempts,
                                 retry_base=settings.retry_base_seconds, retry_cap=settings.retry_cap_seconds,
                                 max_age=settings.notice_max_age_seconds),
        conversation=conversation,
        wechat_oa=wire.official_account(settings, conversation, inbound, clock, chat_queue),
        deferred_answers=wire.deferred_answers(conversation, inbound, notices),
        sms_inbound=wire.inbound_sms(conversation, inbound, notices),
        sms_uplink=wire.sms_uplink(settings, session),
        reminders=ReminderService(uow, notices, settings.reminder_thresholds),
        invites=RatingInvites(uow, notices, settings.rating_window_days),
        supervision=Supervision(uow, notices),
        reports=ReportService(uow),
    )


_lock = threading.Lock()
_services: Services | None = None


def services() -> Services:
    """The process-wide services, built once (cold start, first request)."""
    global _services
    if _services is None:
        with _lock:
            if _services is None:
                _services = cold_start()
    return _services


def install(built: Services | None) -> None:
    """Replace the process-wide services (tests), or forget them with None."""
    global _services
    _services = built
