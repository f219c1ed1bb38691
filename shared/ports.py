"""Ports: what the core needs from the outside, as small Protocols (adapters implement them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from shared.contract.records import Application, CatalogueItem


class SmsSender(Protocol):
    """Sends one SMS to a ``+86…`` number (OTP and notices); raises on failure."""

    def send(self, phone: str, template: str, params: dict[str, str], text: str) -> str:
        """Send and return the provider's message id."""
        ...


class RecipientRefused(Exception):
    """The provider says this number (or account) cannot receive messages at all (e.g. Aliyun's
    ``isv.MOBILE_NUMBER_ILLEGAL``): the person's input is wrong, not the service."""


MAX_QUEUE_DELAY = 900  # the longest a queue holds a message back (SQS DelaySeconds); longer waits go in hops


class NoticeQueue(Protocol):
    """Hands stored notices to the delivery workers."""

    def enqueue(self, notice_ids: list[str], *, delay: int = 0, gen: int = 0) -> None:
        """Queue one try of each notice, ``delay`` s from now (≤ 900), for the notice's ``gen``."""
        ...


class ApprovalBackend(Protocol):
    """The county's approval system: the built-in one, or a county's own behind an adapter."""

    def catalogue(self) -> list[CatalogueItem]:
        """Every service item citizens can apply for."""
        ...

    def item(self, code: str) -> CatalogueItem | None:
        """One item by code, or None."""
        ...

    def areas(self) -> dict[str, list[str]]:
        """The county's townships, each with its villages (where township and village services are given)."""
        ...

    def submitted(self, application: Application) -> None:
        """A citizen applied: forward it (the built-in backend already holds it)."""
        ...


class DeliveryFailed(Exception):
    """A channel could not deliver: ``permanent`` means retrying this channel is pointless;
    ``retry_after`` (not permanent) means "wait, then try" — a deferral, not a failure;
    ``consent_gone`` means the person withdrew the consent the send used (clear their credits)."""

    def __init__(self, detail: str, *, permanent: bool, retry_after: int = 0, consent_gone: bool = False):
        super().__init__(detail)
        self.detail, self.permanent, self.retry_after = detail, permanent, retry_after
        self.consent_gone = consent_gone


class ChannelNotifier(Protocol):
    """Sends one notice to one person on one channel (raises DeliveryFailed)."""

    channel: str

    def consent_template(self, kind: str) -> str | None:
        """The template whose one-time consent credit a send of ``kind`` uses, or None (none needed)."""
        ...

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        """Render and send; ``account`` is the channel's id of the person (openid, phone…); ``data["text"]``,
        when present, is the message composed in advance (a reply) and is sent as it is."""
        ...


@dataclass(frozen=True)
class ChannelIdentity:
    """Who a login code belongs to: the account Minqing keeps (openid, Alipay open_id…), the WeChat
    unionid, and the id the same person was kept under before (Alipay's user_id before open_id)."""

    account: str
    unionid: str | None = None
    previous_account: str | None = None
    ids: dict[str, str] = field(default_factory=dict)  # every id the platform gave, kept on the account


class LoginExchange(Protocol):
    """Turns a channel's one-time login code into the person's identity (raises Unauthorized)."""

    def exchange(self, code: str) -> ChannelIdentity:
        """The identity of a fresh code."""
        ...
