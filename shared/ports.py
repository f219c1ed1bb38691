"""Ports: what the core needs from the outside, as small Protocols (adapters implement them)."""

from __future__ import annotations

from typing import Protocol

from shared.contract.records import Application, CatalogueItem


class SmsSender(Protocol):
    """Sends one SMS to a ``+86…`` number (OTP and notices); raises on failure."""

    def send(self, phone: str, template: str, params: dict[str, str], text: str) -> str:
        """Send and return the provider's message id."""
        ...


class NoticeQueue(Protocol):
    """Hands stored notices to the delivery workers."""

    def enqueue(self, notice_ids: list[str]) -> None:
        """Queue these notices for delivery."""
        ...


class ApprovalBackend(Protocol):
    """The county's approval system: the built-in one, or a county's own behind an adapter."""

    def catalogue(self) -> list[CatalogueItem]:
        """Every service item citizens can apply for."""
        ...

    def item(self, code: str) -> CatalogueItem | None:
        """One item by code, or None."""
        ...

    def submitted(self, application: Application) -> None:
        """A citizen applied: forward it (the built-in backend already holds it)."""
        ...


class DeliveryFailed(Exception):
    """A channel could not deliver; ``permanent`` means retrying this channel is pointless."""

    def __init__(self, detail: str, *, permanent: bool, retry_after: int = 0):
        super().__init__(detail)
        self.detail, self.permanent, self.retry_after = detail, permanent, retry_after


class ChannelNotifier(Protocol):
    """Sends one notice to one citizen on one channel (raises DeliveryFailed)."""

    channel: str

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        """Render and send; ``account`` is the channel's id of the citizen (openid, phone…)."""
        ...
