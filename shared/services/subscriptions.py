"""One-time subscribe-message consents (WeChat mini-program, Alipay): credits per template.

Each consent the citizen gives in ``wx.requestSubscribeMessage`` / ``my.requestSubscribeMessage``
is good for one message; sending consumes one credit atomically.
https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/subscribe-message.html
"""

from __future__ import annotations

import contextlib

from shared.contract.commands import RecordConsents
from shared.errors import ValidationFailed
from shared.sessions import Principal
from shared.storage.dynamo import ConditionFailed, Table

MAX_CREDITS = 100


class SubscriptionService:
    """Templates per channel (from config) and the credits a channel account holds."""

    def __init__(self, table: Table, templates: dict[str, dict[str, str]]):
        self.table, self.templates = table, templates

    def templates_for(self, channel: str) -> dict[str, str]:
        """``{notice_kind: template_id}`` configured for a channel."""
        return dict(self.templates.get(channel, {}))

    def credits(self, principal: Principal) -> dict[str, int]:
        """``{template_id: n}`` for every template of the caller's channel."""
        held = {i["sk"][len("CREDIT#"):]: int(i.get("n", 0)) for i in self.table.query(
            "pk = :p AND begins_with(sk, :c)", {":p": f"ACC#{principal.key}", ":c": "CREDIT#"})}
        return {tid: held.get(tid, 0) for tid in self.templates_for(principal.channel).values()}

    def record(self, principal: Principal, cmd: RecordConsents) -> dict[str, int]:
        """Add one credit per template id the citizen just consented to."""
        known = set(self.templates_for(principal.channel).values())
        unknown = [t for t in cmd.template_ids if t not in known]
        if unknown:
            raise ValidationFailed("unknown template id", [{"field": "template_ids", "message": f"unknown: {t}"}
                                                           for t in unknown])
        for tid in cmd.template_ids:
            with contextlib.suppress(ConditionFailed):  # capped: more than any sender will use
                self.table.update(f"ACC#{principal.key}", f"CREDIT#{tid}", "ADD n :one",
                                  values={":one": 1, ":max": MAX_CREDITS},
                                  condition="attribute_not_exists(n) OR n < :max")
        return self.credits(principal)

    def consume(self, principal: Principal, template_id: str) -> bool:
        """Take one credit if any is left (atomic); False means no consent."""
        try:
            self.table.update(f"ACC#{principal.key}", f"CREDIT#{template_id}", "ADD n :minus",
                              values={":minus": -1, ":zero": 0}, condition="n > :zero")
        except ConditionFailed:
            return False
        return True

    def refund(self, principal: Principal, template_id: str) -> None:
        """Give back a credit whose message was not sent."""
        self.table.update(f"ACC#{principal.key}", f"CREDIT#{template_id}", "ADD n :one", values={":one": 1})

    def clear(self, principal: Principal, template_id: str) -> None:
        """Forget the credits of a template (the platform said the user has no consent: 43101)."""
        self.table.delete(f"ACC#{principal.key}", f"CREDIT#{template_id}")
