"""Notices on WeChat: mini-program subscribe messages (one consent credit each) and official
account template messages, with data rendered within WeChat's field limits.

https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
"""

from __future__ import annotations

import logging
from typing import Any

from channels.wechat.api import WeChatApi
from shared.errors import Unavailable
from shared.http import HttpStatusError
from shared.ports import DeliveryFailed
from shared.services.subscriptions import SubscriptionService
from shared.texts import clip, enrich, fill
from shared.tokens import Principal

log = logging.getLogger(__name__)

LIMITS = {"thing": 20, "character_string": 32, "number": 32, "letter": 32, "symbol": 5, "phrase": 5, "name": 10,
          "phone_number": 17, "car_number": 8, "date": 20, "time": 20}
FIELDS: dict[str, dict[str, str]] = {
    "completion": {"character_string1": "{application_no}", "thing2": "{item_name}", "phrase3": "{status_label}",
                   "thing4": "{note}"},
    "supplement_required": {"character_string1": "{application_no}", "thing2": "{item_name}",
                            "phrase3": "{status_label}", "thing4": "{note}"},
    "complaint_reply": {"character_string1": "{complaint_no}", "thing2": "{reply}"},
    "rating_invite": {"character_string1": "{application_no}", "thing2": "{item_name}"},
    "expiry_reminder": {"thing1": "{kind_label}", "date2": "{expires_on}"},
}
NO_CONSENT = 43101
PERMANENT = {NO_CONSENT, 47003, 40003, 43004, 40037}


def render_fields(kind: str, data: dict[str, str], locale: str) -> dict[str, dict[str, str]]:
    """``{field: {"value": …}}`` for a notice, each value within its type's limit."""
    values = enrich(data, locale)
    out = {}
    for key, template in FIELDS.get(kind, {"thing1": "{note}"}).items():
        out[key] = {"value": clip(fill(template, values), LIMITS.get(key.rstrip("0123456789"), 20))}
    return out


def _outcome(data: dict[str, Any]) -> int:
    return int(data.get("errcode") or 0)


class MiniSubscribeNotifier:
    """``wechat_mini``: a subscribe message per one-time consent credit; 43101 clears the credits."""

    channel = "wechat_mini"

    def __init__(self, api: WeChatApi, subscriptions: SubscriptionService, templates: dict[str, str],
                 page: str = "pages/progress/index", state: str = "formal"):
        self.api, self.subscriptions, self.templates, self.page, self.state = api, subscriptions, templates, page, state

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        """Consume a credit, send, refund it when the send did not happen."""
        template = self.templates.get(kind)
        if not template:
            raise DeliveryFailed(f"no subscribe template for {kind}", permanent=True)
        who = Principal(self.channel, account)
        if not self.subscriptions.consume(who, template):
            raise DeliveryFailed("no consent credit", permanent=True)
        body = {"touser": account, "template_id": template, "data": render_fields(kind, data, locale),
                "page": f"{self.page}?no={data.get('application_no', '')}", "miniprogram_state": self.state,
                "lang": "en_US" if locale == "en" else "zh_CN"}
        try:
            code = _outcome(self.api.post("/cgi-bin/message/subscribe/send", body))
        except (HttpStatusError, Unavailable) as exc:
            self.subscriptions.refund(who, template)
            raise DeliveryFailed(f"WeChat unreachable: {exc}", permanent=False) from None
        if code == 0:
            return
        if code == NO_CONSENT:
            self.subscriptions.clear(who, template)
        else:
            self.subscriptions.refund(who, template)
        raise DeliveryFailed(f"errcode {code}", permanent=code in PERMANENT)


class OaTemplateNotifier:
    """``wechat_oa``: a template message, or a subscribe notification (``bizsend``) when the configured
    template id is written ``bizsend:<id>`` (long-term subscriptions of 政务民生 accounts need no credit).
    https://developers.weixin.qq.com/doc/offiaccount/Subscription_Messages/api.html"""

    channel = "wechat_oa"

    def __init__(self, api: WeChatApi, templates: dict[str, str], url: str = ""):
        self.api, self.templates, self.url = api, templates, url

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        """Send the template message for this kind."""
        template = self.templates.get(kind)
        if not template:
            raise DeliveryFailed(f"no template for {kind}", permanent=True)
        path = "/cgi-bin/message/template/send"
        if template.startswith("bizsend:"):
            path, template = "/cgi-bin/message/subscribe/bizsend", template.removeprefix("bizsend:")
        body: dict[str, Any] = {"touser": account, "template_id": template, "data": render_fields(kind, data, locale)}
        if self.url:
            body["page" if "bizsend" in path else "url"] = f"{self.url}?no={data.get('application_no', '')}"
        try:
            code = _outcome(self.api.post(path, body))
        except (HttpStatusError, Unavailable) as exc:
            raise DeliveryFailed(f"WeChat unreachable: {exc}", permanent=False) from None
        if code:
            raise DeliveryFailed(f"errcode {code}", permanent=code in PERMANENT)
