"""Notices by SMS: the catalogue text with the signature, sent through the configured provider."""

from __future__ import annotations

from shared.clock import Clock, SystemClock
from shared.errors import RateLimited
from shared.ports import DeliveryFailed, SmsSender
from shared.quiet_hours import seconds_left
from shared.texts import SIGNATURE, enrich, render

WAIT_FOR_DAY = {"expiry_reminder", "rating_invite"}  # completion notices and OTPs do not wait


class SmsNotifier:
    """Implements ``shared.ports.ChannelNotifier`` for ``sms``: quiet hours for reminders and invites,
    per-phone limits deferring rather than dropping."""

    channel = "sms"

    def __init__(self, sender: SmsSender, permanent_errors: tuple[type[Exception], ...] = (),
                 quiet_hours: str = "", clock: Clock | None = None):
        self.sender, self.permanent_errors = sender, permanent_errors
        self.quiet_hours, self.clock = quiet_hours, clock or SystemClock()

    def consent_template(self, kind: str) -> str | None:
        """SMS needs no consent credit (the phone on record; ``TD`` opts out)."""
        return None

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        """Send the rendered (or composed, ``data["text"]``) text to the phone ``account``."""
        if kind in WAIT_FOR_DAY:
            wait = seconds_left(self.quiet_hours, self.clock.now())
            if wait:
                raise DeliveryFailed("quiet hours", permanent=False, retry_after=wait)
        text = SIGNATURE + (data["text"] if "text" in data else render(kind, data, locale))
        params = enrich(data, "zh-CN")  # the approved templates are Chinese; the provider takes their variables
        try:
            self.sender.send(account, kind, params, text)
        except self.permanent_errors as exc:
            raise DeliveryFailed(str(exc), permanent=True) from None
        except RateLimited as exc:
            raise DeliveryFailed(exc.message, permanent=False, retry_after=exc.retry_after) from None
        except Exception as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}", permanent=False) from None
