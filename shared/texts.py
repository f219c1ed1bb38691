"""The message catalogue: every citizen-facing notice text, in zh-CN and en.

Channels render these within their own limits; ``{...}`` fields come from the notice data.
"""

from __future__ import annotations

from shared.contract.vocabulary import status_label

SIGNATURE = "【民情直通车】"

TEXTS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "completion": "您申办的{item_name}(编号{application_no}){status_label}。{note}",
        "supplement_required": "您申办的{item_name}(编号{application_no})需要补正材料:{note}",
        "complaint_reply": "您的投诉(编号{complaint_no})已有回复:{reply}",
        "rating_invite": "您申办的{item_name}已办结,欢迎回复“PJ {application_no} 1-5”评价。",
        "expiry_reminder": "您的{kind_label}将于{expires_on}到期,请及时办理。",
    },
    "en": {
        "completion": "Your application {application_no} ({item_name}) is {status_label}. {note}",
        "supplement_required": "Your application {application_no} ({item_name}) needs more material: {note}",
        "complaint_reply": "Your complaint {complaint_no} has a reply: {reply}",
        "rating_invite": "Your application {application_no} is done. Reply 'PJ {application_no} 1-5' to rate it.",
        "expiry_reminder": "Your {kind_label} expires on {expires_on}; please renew it in time.",
    },
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def render(kind: str, data: dict[str, str], locale: str = "zh-CN") -> str:
    """The plain text of a notice in a locale (zh-CN when unknown), trimmed of empty tails."""
    texts = TEXTS.get(locale, TEXTS["zh-CN"])
    values = _Blank(data)
    if "status" in data:
        values["status_label"] = status_label(data["status"], locale if locale in TEXTS else "zh-CN")
    return texts[kind].format_map(values).strip().removesuffix(":").removesuffix(":").strip()
