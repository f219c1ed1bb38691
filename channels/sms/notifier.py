"""Notices by SMS: the catalogue text with the signature, sent through the configured provider."""

from __future__ import annotations

from shared.contract.vocabulary import status_label
from shared.ports import DeliveryFailed, SmsSender
from shared.texts import SIGNATURE, render


class SmsNotifier:
    """Implements ``shared.ports.ChannelNotifier`` for ``sms``."""

    channel = "sms"

    def __init__(self, sender: SmsSender, permanent_errors: tuple[type[Exception], ...] = ()):
        self.sender, self.permanent_errors = sender, permanent_errors

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        """Send the rendered text to the phone ``account``."""
        text = SIGNATURE + render(kind, data, locale)
        params = dict(data)
        if "status" in data:
            params["status_label"] = status_label(data["status"], locale)
        try:
            self.sender.send(account, kind, params, text)
        except self.permanent_errors as exc:
            raise DeliveryFailed(str(exc), permanent=True) from None
        except Exception as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}", permanent=False) from None
