"""Notices on WeChat: mini-program subscribe messages (one consent credit each) and official
account template messages, with each value rendered to its field's class (47003 otherwise):
``phrase`` ≤ 5 Chinese characters only (so the Chinese status label in every locale),
``character_string`` ≤ 32 of digits, letters and symbols, ``thing`` ≤ 20 of anything,
``date`` like ``2026年10月1日``.

https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
"""

from __future__ import annotations

import logging
import re
from typing import Any

from channels.wechat.api import IpNotWhitelisted, WeChatApi
from shared.errors import Unavailable
from shared.http_client import HttpStatusError
from shared.ports import DeliveryFailed
from shared.texts import clip, enrich, fill

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
    "expiry_reminder": {"thing1": "{kind_label}", "date2": "{expires_on}", "number3": "{days_left}"},
}
NO_CONSENT = 43101
PERMANENT = {NO_CONSENT, 47003, 40003, 43004, 40037,
             45015,  # a customer-service message after the 48 h window
             45047}  # more than 20 customer-service messages in the window


def _value(value_class: str, template: str, data: dict[str, str], locale: str) -> str:
    """One field's value in its class: Chinese-only phrases, ASCII strings, 年月日 dates."""
    if value_class == "phrase":
        return re.sub(r"[^\u3400-\u4dbf\u4e00-\u9fff]", "", fill(template, enrich(data, "zh-CN")))[:5] or "无"
    value = fill(template, enrich(data, locale))
    if value_class == "character_string":
        return re.sub(r"[^\x21-\x7e]", "", value)[:32] or "-"
    if value_class in ("number", "letter"):
        return re.sub(r"[^0-9.]" if value_class == "number" else r"[^A-Za-z]", "", value)[:32] or "0"
    if value_class == "date" and (m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())):
        return f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日"
    return clip(value, LIMITS.get(value_class, 20))


def render_fields(kind: str, data: dict[str, str], locale: str) -> dict[str, dict[str, str]]:
    """``{field: {"value": …}}`` for a notice, each value valid for its field's class."""
    return {key: {"value": _value(key.rstrip("0123456789"), template, data, locale)}
            for key, template in FIELDS.get(kind, {"thing1": "{note}"}).items()}


def _unusable(exc: IpNotWhitelisted) -> DeliveryFailed:
    """Our IP is not whitelisted: no retry helps until devops acts (alarmed); the next channel is tried."""
    return DeliveryFailed(str(exc), permanent=True)


def _outcome(data: dict[str, Any]) -> int:
    return int(data.get("errcode") or 0)


class MiniSubscribeNotifier:
    """``wechat_mini``: a subscribe message per one-time consent credit (the delivery service holds the
    credits; 43101 says the user's consent is gone)."""

    channel = "wechat_mini"

    def __init__(self, api: WeChatApi, templates: dict[str, str], page: str = "pages/progress/index",
                 state: str = "formal"):
        self.api, self.templates, self.page, self.state = api, templates, page, state

    def consent_template(self, kind: str) -> str | None:
        """Every subscribe message uses one credit of its template."""
        return self.templates.get(kind)

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        """Send one subscribe message."""
        template = self.templates.get(kind)
        if not template:
            raise DeliveryFailed(f"no subscribe template for {kind}", permanent=True)
        body = {"touser": account, "template_id": template, "data": render_fields(kind, data, locale),
                "page": f"{self.page}?no={data.get('application_no', '')}", "miniprogram_state": self.state,
                "lang": "en_US" if locale == "en" else "zh_CN"}
        try:
            code = _outcome(self.api.post("/cgi-bin/message/subscribe/send", body))
        except IpNotWhitelisted as exc:
            raise _unusable(exc) from None
        except (HttpStatusError, Unavailable) as exc:
            raise DeliveryFailed(f"WeChat unreachable: {exc}", permanent=False) from None
        if code:
            raise DeliveryFailed(f"errcode {code}", permanent=code in PERMANENT, consent_gone=code == NO_CONSENT)


class OaTemplateNotifier:
    """``wechat_oa``: a template message, or a subscribe notification (``bizsend``) when the configured
    template id is written ``bizsend:<id>`` (long-term subscriptions of 政务民生 accounts need no credit).
    https://developers.weixin.qq.com/doc/offiaccount/Subscription_Messages/api.html"""

    channel = "wechat_oa"

    def __init__(self, api: WeChatApi, templates: dict[str, str], url: str = ""):
        self.api, self.templates, self.url = api, templates, url

    def consent_template(self, kind: str) -> str | None:
        """Template messages and long-term subscriptions need no credit."""
        return None

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        """Send the template message for this kind; a composed answer (``data["text"]``) goes out as a
        customer-service text message, allowed for 48 h after the follower wrote.
        https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html"""
        if "text" in data:
            path, body = "/cgi-bin/message/custom/send", {"touser": account, "msgtype": "text",
                                                          "text": {"content": data["text"]}}
            return self._post(path, body)
        template = self.templates.get(kind)
        if not template:
            raise DeliveryFailed(f"no template for {kind}", permanent=True)
        path = "/cgi-bin/message/template/send"
        if template.startswith("bizsend:"):
            path, template = "/cgi-bin/message/subscribe/bizsend", template.removeprefix("bizsend:")
        body: dict[str, Any] = {"touser": account, "template_id": template, "data": render_fields(kind, data, locale)}
        if self.url:
            body["page" if "bizsend" in path else "url"] = f"{self.url}?no={data.get('application_no', '')}"
        self._post(path, body)

    def _post(self, path: str, body: dict[str, Any]) -> None:
        try:
            code = _outcome(self.api.post(path, body))
        except IpNotWhitelisted as exc:
            raise _unusable(exc) from None
        except (HttpStatusError, Unavailable) as exc:
            raise DeliveryFailed(f"WeChat unreachable: {exc}", permanent=False) from None
        if code:
            raise DeliveryFailed(f"errcode {code}", permanent=code in PERMANENT)
