"""The SMS templates a county gets approved by its provider, and the variables Minqing fills in.

Chinese providers send only pre-approved templates: fixed text with short variables, never one
free-text ``${content}``. Aliyun's rules: each variable 1–35 characters, no URL in a variable, no
template made only of variables, no 【】 in the body (the signature adds it)
(https://help.aliyun.com/document_detail/463270.html, https://help.aliyun.com/document_detail/44357.html).
``docs/sms-templates.md`` lists the texts to submit; ``MINQING_SMS_TEMPLATES`` maps each kind
below to the template code the provider granted.
"""

from __future__ import annotations

import re

MAX_VARIABLE = 35  # characters per variable (Aliyun, "其他" class)
EMPTY = "无"  # a variable may not be empty

# kind → the variables its approved template takes (replies to chat commands are ``reply_<key>``).
VARIABLES: dict[str, tuple[str, ...]] = {
    "otp": ("code",),
    "completion": ("item_name", "application_no", "status_label", "note"),
    "supplement_required": ("item_name", "application_no", "note"),
    "complaint_reply": ("complaint_no", "reply"),
    "rating_invite": ("item_name", "application_no"),
    "expiry_reminder": ("kind_label", "expires_on", "days_left"),
    "supervision": ("number", "due"),
    "reply_help_sms": (),
    "reply_unbound_sms": (),
    "reply_opted_out": (),
    "reply_progress": ("application_no", "item_name", "status_label", "due"),
    "reply_no_application": ("application_no",),
    "reply_no_applications": (),
    "reply_rated": ("label",),
    "reply_already_rated": (),
    "reply_not_ratable": ("days",),
    "reply_bad_level": (),
    "reply_complaint_filed": ("complaint_no",),
    "reply_busy": (),
    "reply_answer_sms": ("item_name", "materials", "location", "days"),
    "reply_not_understood_sms": (),
}
DEFAULTS = {"due": "受理后确定", "note": EMPTY}

_URL = re.compile(r"(?:https?://|www\.)\S*|[\w-]+(?:\.[\w-]+)*\.(?:com|cn|net|org|gov|edu|top|xyz|info|io|me|cc)\b\S*",
                  re.I)


def variable(value: object, default: str = EMPTY) -> str:
    """One variable as a provider accepts it: one line, no URL, 1–35 characters."""
    text = _URL.sub("", re.sub(r"\s+", " ", str(value))).strip()
    if not text:
        return default
    return text if len(text) <= MAX_VARIABLE else text[: MAX_VARIABLE - 1] + "…"


def template_values(kind: str, values: dict[str, str]) -> dict[str, str]:
    """Exactly the variables of ``kind``'s template, each made acceptable (KeyError for an unknown kind)."""
    return {name: variable(values.get(name, ""), DEFAULTS.get(name, EMPTY)) for name in VARIABLES[kind]}
