"""The local world's SMS provider: Aliyun Dysms ``SendSms`` at ``/aliyun/sms``, written from Aliyun's
documentation and independently of Minqing's client.

Rules enforced, each as the provider states it:
- requests are signed HMAC-SHA1 over the percent-encoded, sorted query (签名机制,
  https://help.aliyun.com/document_detail/101343.html): a wrong signature → ``SignatureDoesNotMatch``;
- only approved templates are sent, and a template is approvable only without 【】 in its body
  and with some fixed text besides its variables (短信模板规范,
  https://help.aliyun.com/document_detail/463270.html);
- each variable is 1–35 characters (``isv.PARAM_LENGTH_LIMIT``) and carries no URL
  (``isv.PARAM_NOT_SUPPORT_URL``) (https://help.aliyun.com/document_detail/44357.html, SendSms 错误码);
- the signature 【签名】 is added by the provider in front of the rendered body;
- a citizen's reply (上行短信) is pushed by HTTP POST of a JSON array
  ``[{"phone_number","content","send_time","dest_code","sequence_id"}]`` to the URL the account
  registered, which must answer ``{"code":0,...}``; anything else is pushed again later
  (https://help.aliyun.com/zh/sms/developer-reference/smsup-http).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import re
import secrets
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from typing import Any

# The local account's approved templates (a county submits the same texts: docs/sms-templates.md).
APPROVED = {
    "SMS_LOCAL_OTP": "您的验证码为${code},5分钟内有效。如非本人操作请忽略。",
    "SMS_LOCAL_COMPLETION": "您申办的${item_name}(编号${application_no})${status_label}。说明:${note}",
    "SMS_LOCAL_SUPPLEMENT": "您申办的${item_name}(编号${application_no})需要补正材料:${note}",
    "SMS_LOCAL_COMPLAINT_REPLY": "您的投诉(编号${complaint_no})已有回复:${reply}。完整回复请在民情直通车查看。",
    "SMS_LOCAL_RATING_INVITE": "您申办的${item_name}已办结,回复“PJ ${application_no} 1-5”评价。",
    "SMS_LOCAL_EXPIRY": "您的${kind_label}将于${expires_on}到期,还有${days_left}天,请及时办理。",
    "SMS_LOCAL_SUPERVISION": "督办:${number}已逾期(应于${due}前办结),请尽快办理。",
    "SMS_LOCAL_REPLY_HELP": "回复“CX 编号”查询进度,“PJ 编号 1-5”评价办理,“TD”退订短信通知。",
    "SMS_LOCAL_REPLY_UNBOUND": "本号码尚未绑定身份,请在微信或支付宝“民情直通车”中完成实名绑定。",
    "SMS_LOCAL_REPLY_OPTED_OUT": "您已退订短信通知,此后办件通知将通过其他渠道发送。如需恢复,请在个人设置中开启。",
    "SMS_LOCAL_REPLY_PROGRESS": "办件${application_no}(${item_name})当前状态:${status_label},承诺办结日期:${due}。",
    "SMS_LOCAL_REPLY_NO_APPLICATION": "未找到编号为${application_no}的办件,请核对后重试。",
    "SMS_LOCAL_REPLY_NO_APPLICATIONS": "您还没有办件记录。",
    "SMS_LOCAL_REPLY_RATED": "感谢您的评价:${label}。",
    "SMS_LOCAL_REPLY_ALREADY_RATED": "该办件已评价过,感谢您的参与。",
    "SMS_LOCAL_REPLY_NOT_RATABLE": "该办件当前不能评价(办结后${days}日内可评价)。",
    "SMS_LOCAL_REPLY_BAD_LEVEL": "评价请回复“PJ 编号 1-5”,5为非常满意,1为非常不满意。",
    "SMS_LOCAL_REPLY_COMPLAINT_FILED": "您的投诉已登记,编号${complaint_no},我们将在规定时限内回复。",
    "SMS_LOCAL_REPLY_BUSY": "系统繁忙,请稍后再试。",
    "SMS_LOCAL_REPLY_ANSWER": "您咨询的事项:${item_name}。请带${materials}到${location}办理,${days}。回复BZ查看帮助。",
    "SMS_LOCAL_REPLY_NOT_UNDERSTOOD": "抱歉,没有找到与您的问题相符的事项。"
                                      "回复“CX 编号”查询进度,“PJ 编号 1-5”评价办理,“TD”退订短信通知。",
}
VARIABLE = re.compile(r"\$\{(\w+)\}")
MAX_VARIABLE = 35
URL = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:com|cn|net|org|gov|edu|top|xyz|info|io|me|cc)\b", re.I)
UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def approvable(body: str) -> str | None:
    """Why a template body would be refused at review, or None when it may be approved."""
    if "【" in body or "】" in body:
        return "【】 is reserved for the signature"
    if not re.sub(r"[\W_]+", "", VARIABLE.sub("", body)):  # only punctuation and spaces besides the variables
        return "a template may not consist of variables only"
    return None


def encode(value: str) -> str:
    """Aliyun's percent-encoding: UTF-8 bytes, unreserved characters kept, the rest ``%XX`` in upper case."""
    return "".join(chr(b) if b in UNRESERVED else f"%{b:02X}" for b in value.encode("utf-8"))


def expected_signature(secret: str, params: dict[str, str], method: str = "GET") -> str:
    """``Base64(HMAC-SHA1(secret + "&", METHOD + "&" + encode("/") + "&" + encode(canonical query)))``."""
    canonical = "&".join(encode(k) + "=" + encode(params[k]) for k in sorted(params))
    string_to_sign = method + "&" + encode("/") + "&" + encode(canonical)
    digest = hmac.new((secret + "&").encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _error(code: str, message: str) -> tuple[int, dict[str, Any]]:
    return 200, {"Code": code, "Message": message, "RequestId": secrets.token_hex(8)}


class SmsWorld:
    """The stand-in provider's checks."""

    def __init__(self, access_key_id: str, access_key_secret: str, sign_name: str,
                 templates: dict[str, str] | None = None, uplink_url: str = ""):
        self.key_id, self.secret, self.sign_name = access_key_id, access_key_secret, sign_name
        self.uplink_url, self.sequence = uplink_url, itertools.count(int(datetime.now(UTC).timestamp()) * 1000)
        self.templates: dict[str, str] = {}
        for code, body in (APPROVED if templates is None else templates).items():
            self.approve(code, body)

    def approve(self, code: str, body: str) -> None:
        """Approve a template, as the provider's review would (ValueError when it would be refused)."""
        reason = approvable(body)
        if reason:
            raise ValueError(f"template {code} would be refused: {reason}")
        self.templates[code] = body

    def push_uplink(self, sender: str, body: str) -> tuple[int, dict[str, Any]]:
        """A citizen's SMS to the account's number, pushed to the registered URL as Aliyun does."""
        if not self.uplink_url:
            return 503, {"error": "no uplink URL registered"}
        now = datetime.now(UTC) + timedelta(hours=8)  # Aliyun writes Beijing time
        push = [{"phone_number": sender.removeprefix("+86"), "content": body, "sign_name": self.sign_name,
                 "send_time": now.strftime("%Y-%m-%d %H:%M:%S"), "dest_code": "1069000",
                 "sequence_id": next(self.sequence)}]
        request = urllib.request.Request(self.uplink_url, data=json.dumps(push, ensure_ascii=False).encode(),  # noqa: S310
                                         method="POST", headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310 (loopback)
                answer = json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, {"pushed": push, "answer": exc.read().decode(errors="replace")}
        accepted = isinstance(answer, dict) and answer.get("code") == 0
        return (202 if accepted else 502), {"pushed": push, "answer": answer}

    def send(self, world: Any, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Answer one SendSms request as Aliyun would."""
        given = params.pop("Signature", "")
        if params.get("AccessKeyId") != self.key_id:
            return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."}
        if not hmac.compare_digest(expected_signature(self.secret, params), given):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched."}
        fault = world.take_fault("sms")
        if fault:
            if "status" in fault:
                return int(fault["status"]), {"Code": "ServiceUnavailable", "Message": "injected"}
            return _error(str(fault.get("errcode")), "injected")
        if params.get("SignName") != self.sign_name:
            return _error("isv.SMS_SIGNATURE_ILLEGAL", "签名不合法")
        template = self.templates.get(params.get("TemplateCode", ""))
        if template is None:
            return _error("isv.SMS_TEMPLATE_ILLEGAL", "模板不合法(不存在或被拉黑)")
        phone = params.get("PhoneNumbers", "")
        if not re.fullmatch(r"1[3-9]\d{9}", phone):
            return _error("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        try:
            values = json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            return _error("isv.INVALID_JSON_PARAM", "JSON参数不合法,只接受字符串值")
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            return _error("isv.INVALID_JSON_PARAM", "JSON参数不合法,只接受字符串值")
        names = VARIABLE.findall(template)
        missing = [n for n in names if n not in values]
        if missing:
            return _error("isv.TEMPLATE_MISSING_PARAMETERS", f"模板缺少变量 {missing}")
        for name in names:
            if not 1 <= len(values[name]) <= MAX_VARIABLE:
                return _error("isv.PARAM_LENGTH_LIMIT", f"参数超出长度限制: {name}")
            if URL.search(values[name]):
                return _error("isv.PARAM_NOT_SUPPORT_URL", f"不支持URL: {name}")
        text = f"【{self.sign_name}】" + VARIABLE.sub(lambda m: values[m.group(1)], template)
        world.deliver("sms", "+86" + phone, params["TemplateCode"], text, values)
        return 200, {"Code": "OK", "Message": "OK", "BizId": secrets.token_hex(8), "RequestId": secrets.token_hex(8)}
