"""Notices as Alipay mini-program subscription messages (``alipay.open.app.mini.templatemessage.send``).

One-time consents are credits like WeChat's; a template id written ``long:<id>`` is a long-term
(政务民生) subscription that needs none. Values at most 50 characters.
https://opendocs.alipay.com/mini/02cth2
"""

from __future__ import annotations

import json

from channels.alipay.gateway import AlipayError, AlipayGateway, AlipaySignatureError
from shared.errors import Unavailable
from shared.ports import DeliveryFailed
from shared.texts import clip, enrich, fill

MAX_VALUE = 50
KEYWORDS: dict[str, list[str]] = {
    "completion": ["{application_no}", "{item_name}", "{status_label}", "{note}"],
    "supplement_required": ["{application_no}", "{item_name}", "{status_label}", "{note}"],
    "complaint_reply": ["{complaint_no}", "{reply}"],
    "rating_invite": ["{application_no}", "{item_name}"],
    "expiry_reminder": ["{kind_label}", "{expires_on}", "{days_left}"],
}
PERMANENT = {"USER_NOT_EXIST", "TEMPLATE_NOT_EXIST", "isv.invalid-user-template-id", "NO_SUBSCRIBE",
             "USER_TEMPLATE_ILLEGAL", "isv.invalid-parameter"}


def render_data(kind: str, data: dict[str, str], locale: str) -> dict[str, dict[str, str]]:
    """``{"keyword1": {"value": …}, …}`` with every value within 50 characters."""
    values = enrich(data, locale)
    return {f"keyword{i}": {"value": clip(fill(template, values), MAX_VALUE)}
            for i, template in enumerate(KEYWORDS.get(kind, ["{note}"]), start=1)}


class AlipayNotifier:
    """Implements ``shared.ports.ChannelNotifier`` for ``alipay`` (credits are the delivery service's)."""

    channel = "alipay"

    def __init__(self, gateway: AlipayGateway, templates: dict[str, str], page: str = "pages/progress/index"):
        self.gateway, self.templates, self.page = gateway, templates, page

    def consent_template(self, kind: str) -> str | None:
        """A one-time template uses a credit; a long-term (``long:``) one needs none."""
        configured = self.templates.get(kind)
        return configured if configured and not configured.startswith("long:") else None

    def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
        """Send one subscription message."""
        configured = self.templates.get(kind)
        if not configured:
            raise DeliveryFailed(f"no Alipay template for {kind}", permanent=True)
        template = configured.removeprefix("long:")
        target = {"to_user_id": account} if account.startswith("2088") else {"to_open_id": account}
        biz = {**target, "user_template_id": template, "page": f"{self.page}?no={data.get('application_no', '')}",
               "data": json.dumps(render_data(kind, data, locale), ensure_ascii=False)}
        try:
            self.gateway.call("alipay.open.app.mini.templatemessage.send", biz)
        except AlipayError as exc:
            permanent = exc.sub_code in PERMANENT  # SYSTEM_ERROR and unknown codes: try again later
            raise DeliveryFailed(str(exc), permanent=permanent, consent_gone=exc.sub_code == "NO_SUBSCRIBE") from None
        except (AlipaySignatureError, Unavailable) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}", permanent=False) from None
