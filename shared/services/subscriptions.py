"""One-time subscribe-message consents (WeChat mini-program, Alipay): credits per template.

Each consent the citizen gives in ``wx.requestSubscribeMessage`` / ``my.requestSubscribeMessage``
is good for one message; sending consumes one credit atomically.
https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/subscribe-message.html
"""

from __future__ import annotations

from shared.contract.commands import RecordConsents
from shared.errors import ValidationFailed
from shared.sessions import Principal
from shared.storage.ports import UnitOfWorkFactory

MAX_CREDITS = 100


class SubscriptionService:
    """Templates per channel (from config) and the credits a channel account holds."""

    def __init__(self, uow: UnitOfWorkFactory, templates: dict[str, dict[str, str]]):
        self.uow, self.templates = uow, templates

    def templates_for(self, channel: str) -> dict[str, str]:
        """``{notice_kind: template_id}`` configured for a channel."""
        return dict(self.templates.get(channel, {}))

    def credits(self, principal: Principal) -> dict[str, int]:
        """``{template_id: n}`` for every template of the caller's channel."""
        held = self.uow().credits.held(principal.channel, principal.account)
        return {tid: held.get(tid, 0) for tid in self.templates_for(principal.channel).values()}

    def record(self, principal: Principal, cmd: RecordConsents) -> dict[str, int]:
        """Add one credit per template id the citizen just consented to."""
        known = set(self.templates_for(principal.channel).values())
        unknown = [t for t in cmd.template_ids if t not in known]
        if unknown:
            raise ValidationFailed("unknown template id", [{"field": "template_ids", "message": f"unknown: {t}"}
                                                           for t in unknown])
        credits = self.uow().credits
        for tid in cmd.template_ids:
            credits.add(principal.channel, principal.account, tid, MAX_CREDITS)  # capped: more than any sender uses
        return self.credits(principal)

    def consume(self, principal: Principal, template_id: str) -> bool:
        """Take one credit if any is left (atomic); False means no consent."""
        return self.uow().credits.take(principal.channel, principal.account, template_id)

    def refund(self, principal: Principal, template_id: str) -> None:
        """Give back a credit whose message was not sent."""
        self.uow().credits.give_back(principal.channel, principal.account, template_id)

    def clear(self, principal: Principal, template_id: str) -> None:
        """Forget the credits of a template (the platform said the user has no consent: 43101)."""
        self.uow().credits.clear(principal.channel, principal.account, template_id)
