"""The message catalogue: every citizen-facing notice text, in zh-CN and en.

Channels render these within their own limits; ``{...}`` fields come from the notice data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.contract.vocabulary import status_label
from shared.personal_data import mask_personal

SIGNATURE = "【民情直通车】"

TEXTS: dict[str, dict[str, str]] = {
    "zh-CN": {
        "completion": "您申办的{item_name}(编号{application_no}){status_label}。{note}",
        "supplement_required": "您申办的{item_name}(编号{application_no})需要补正材料:{note}",
        "complaint_reply": "您的投诉(编号{complaint_no})已有回复:{reply}",
        "rating_invite": "您申办的{item_name}已办结,欢迎回复“PJ {application_no} 1-5”评价。",
        "expiry_reminder": "您的{kind_label}将于{expires_on}到期,还有{days_left}天,请及时办理。",
    },
    "en": {
        "completion": "Your application {application_no} ({item_name}) is {status_label}. {note}",
        "supplement_required": "Your application {application_no} ({item_name}) needs more material: {note}",
        "complaint_reply": "Your complaint {complaint_no} has a reply: {reply}",
        "rating_invite": "Your application {application_no} is done. Reply 'PJ {application_no} 1-5' to rate it.",
        "expiry_reminder": "Your {kind_label} expires on {expires_on}, {days_left_label}; please renew it in time.",
    },
}


LICENCE_LABELS = {
    "zh-CN": {"id_card": "居民身份证", "driving_licence": "机动车驾驶证", "business_licence": "营业执照",
              "disability_card": "残疾人证", "residence_permit": "居住证", "health_certificate": "健康证明"},
    "en": {"id_card": "ID card", "driving_licence": "driving licence", "business_licence": "business licence",
           "disability_card": "disability card", "residence_permit": "residence permit",
           "health_certificate": "health certificate"},
}


def enrich(data: dict[str, str], locale: str = "zh-CN") -> dict[str, str]:
    """Notice data plus the labels templates use (``status_label``, ``kind_label``) in a locale."""
    out = {k: mask_personal(v, phones=False) for k, v in data.items()}  # a staff note may quote an ID number;
    # a phone in it is the office's, on purpose
    locale = locale if locale in TEXTS else "zh-CN"
    if "status" in data:
        out["status_label"] = status_label(data["status"], locale)
    if "kind" in data:
        out["kind_label"] = LICENCE_LABELS[locale].get(data["kind"], data["kind"])
    if data.get("days_left", "").isdigit():  # the 30-, 7- and 1-day reminders say how long is left
        days = int(data["days_left"])
        out["days_left_label"] = (f"还有{days}天" if days else "今天") if locale == "zh-CN" else \
            ("today" if not days else "in 1 day" if days == 1 else f"in {days} days")
    return out


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with ``{name}`` fields from ``values``; a missing one is left empty."""
    return template.format_map(_Blank(values))


def clip(value: str, limit: int) -> str:
    """A platform field value: ``-`` when empty (platforms refuse blanks), cut with ``…`` past ``limit``."""
    value = value.strip() or "-"
    return value if len(value) <= limit else value[: limit - 1] + "…"


def render(kind: str, data: dict[str, str], locale: str = "zh-CN") -> str:
    """The plain text of a notice in a locale (zh-CN when unknown), trimmed of empty tails."""
    texts = TEXTS.get(locale, TEXTS["zh-CN"])
    values = _Blank(enrich(data, locale))
    return texts[kind].format_map(values).strip().removesuffix(":").removesuffix(":").strip()


REPLIES: dict[str, dict[str, str]] = {
    "zh-CN": {
        "help": "民情直通车可以:\n发送“进度 编号”查询办理进度;\n发送“评价 编号 1-5 意见”评价办理;\n"
                "发送“投诉 内容”反映问题;\n发送“绑定”绑定身份。",
        "bind": "请点击链接完成实名绑定:{bind_url}",
        "unbound": "您还未绑定身份,请先发送“绑定”或点击菜单完成实名绑定。",
        "progress": "{application_no} {item_name}:{status_label}{deadline}",
        "deadline": ",承诺办结日期{due}",
        "no_application": "未找到编号为{application_no}的办件,请核对后重试。",
        "no_applications": "您还没有办件记录。",
        "rated": "感谢您的评价:{label}。",
        "already_rated": "该办件已评价过,感谢您的参与。",
        "not_ratable": "该办件当前不能评价(办结后{days}日内可评价)。",
        "bad_level": "评价请发送“评价 编号 1-5”,5为非常满意,1为非常不满意。",
        "complaint_filed": "您的投诉已登记,编号{complaint_no},我们将在规定时限内回复。",
        "busy": "系统繁忙,请稍后再试。",
        "later": "已收到,正在处理,稍后为您回复。",
        "help_sms": "回复“CX 编号”查询进度,“PJ 编号 1-5”评价办理,“TD”退订短信通知。",
        "unbound_sms": "本号码尚未绑定身份,请在微信或支付宝“民情直通车”中完成实名绑定。",
        "opted_out": "您已退订短信通知,此后办件通知将通过其他渠道发送。如需恢复,请在个人设置中开启。",
        "answer": "您要办的可能是:\n{answer}",
        "answer_also": "也可能是:\n{answer}",
        "answer_end": "发送“帮助”查看其他功能。",
        "not_understood": "抱歉,没有找到与您的问题相符的事项,请换个说法试试。",
        "answer_sms": "您咨询的事项:{item_name}。请带{materials}到{location}办理,{days}。回复BZ查看帮助。",
        "not_understood_sms": "抱歉,没有找到与您的问题相符的事项。"
                              "回复“CX 编号”查询进度,“PJ 编号 1-5”评价办理,“TD”退订短信通知。",
    },
    "en": {
        "help": "Minqing can:\nsend 'progress <no>' (进度) for an application's status;\n"
                "'评价 <no> <1-5> <comment>' to rate it;\n'投诉 <text>' to complain;\n'绑定' to bind your identity.",
        "bind": "Open this link to bind your identity: {bind_url}",
        "unbound": "Your account is not bound yet: send 绑定 or use the menu to bind your identity.",
        "progress": "{application_no} {item_name}: {status_label}{deadline}",
        "deadline": ", due {due}",
        "no_application": "No application {application_no} was found; please check the number.",
        "no_applications": "You have no applications yet.",
        "rated": "Thank you for your rating: {label}.",
        "already_rated": "This application has already been rated. Thank you.",
        "not_ratable": "This application cannot be rated now (ratings open for {days} days after completion).",
        "bad_level": "To rate, send '评价 <no> <1-5>': 5 is very satisfied, 1 very dissatisfied.",
        "complaint_filed": "Your complaint is registered as {complaint_no}; we will reply in time.",
        "busy": "The service is busy, please try again later.",
        "later": "Received; we will answer you shortly.",
        "help_sms": "Reply 'CX <no>' for progress, 'PJ <no> <1-5>' to rate, 'TD' to stop SMS notices.",
        "unbound_sms": "This number is not bound yet: bind your identity in Minqing on WeChat or Alipay.",
        "opted_out": "You will get no more notices by SMS; turn them back on in your settings.",
        "answer": "This may be what you need:\n{answer}",
        "answer_also": "Or perhaps:\n{answer}",
        "answer_end": "Send 'help' (帮助) for what else Minqing can do.",
        "not_understood": "Sorry, no service matches your question; please try other words.",
        "answer_sms": "{item_name}: bring {materials} to {location}; {days}.",
        "not_understood_sms": "Sorry, no service matches your question. "
                              "Reply 'CX <no>' for progress, 'PJ <no> <1-5>' to rate, 'TD' to stop SMS notices.",
    },
}


def reply(key: str, locale: str = "zh-CN", **values: object) -> str:
    """A chat/SMS reply from the catalogue."""
    given = {k: str(v) for k, v in values.items()}
    if key == "progress":  # the promised date is a clause of its own, present only when known
        given["deadline"] = reply("deadline", locale, due=given["due"]) if given.get("due") else ""
    return REPLIES.get(locale, REPLIES["zh-CN"])[key].format_map(_Blank(given))


@dataclass(frozen=True)
class Reply:
    """One answer of a conversation: a catalogue key and its values, rendered by each channel
    (chat renders ``text``; SMS sends the approved template of the key with the values)."""

    key: str
    locale: str = "zh-CN"
    values: dict[str, str] = field(default_factory=dict)
    more: tuple[Reply, ...] = ()  # further lines of the same answer (the latest applications)

    def __post_init__(self) -> None:
        """Values echo what a person typed: an ID number or phone among them is masked."""
        object.__setattr__(self, "values", {k: mask_personal(v) for k, v in self.values.items()})

    @property
    def text(self) -> str:
        """The reply as chat text (empty for the empty reply: nothing to say)."""
        if not self.key:
            return ""
        return "\n".join([reply(self.key, self.locale, **self.values)] + [m.text for m in self.more])
