"""The local world's SMS provider: Aliyun Dysms ``SendSms`` at ``/aliyun/sms``, checking the request
signature with the local AccessKey secret and rendering the approved template into the outbox."""

from __future__ import annotations

import hmac
import json
import re
import secrets
from typing import Any

from channels.sms.aliyun import signature

APPROVED = {  # the local stage's "approved" templates (a real account has these approved by Aliyun)
    "SMS_LOCAL_OTP": "【民情直通车】您的验证码为${code},5分钟内有效。如非本人操作请忽略。",
    "SMS_LOCAL_COMPLETION": "【民情直通车】您申办的${item_name}(编号${application_no})${status_label}。${note}",
    "SMS_LOCAL_SUPPLEMENT": "【民情直通车】您申办的${item_name}(编号${application_no})需要补正材料:${note}",
    "SMS_LOCAL_COMPLAINT_REPLY": "【民情直通车】您的投诉(编号${complaint_no})已有回复:${reply}",
    "SMS_LOCAL_RATING_INVITE": "【民情直通车】您申办的${item_name}已办结,回复“PJ ${application_no} 1-5”评价。",
    "SMS_LOCAL_EXPIRY": "【民情直通车】您的${kind_label}将于${expires_on}到期,请及时办理。",
    "SMS_LOCAL_REPLY": "【民情直通车】${content}",
    "SMS_LOCAL_SUPERVISION": "【民情直通车】督办:${number}已逾期(应于${due}前办结),请尽快办理。",
}


class SmsWorld:
    """The stand-in provider's checks."""

    def __init__(self, access_key_id: str, access_key_secret: str, sign_name: str):
        self.key_id, self.secret, self.sign_name = access_key_id, access_key_secret, sign_name

    def send(self, world: Any, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Answer one SendSms request as Aliyun would."""
        given = params.pop("Signature", "")
        if params.get("AccessKeyId") != self.key_id:
            return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."}
        if not hmac.compare_digest(signature(self.secret, params), given):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched."}
        fault = world.take_fault("sms")
        if fault:
            if "status" in fault:
                return int(fault["status"]), {"Code": "ServiceUnavailable", "Message": "injected"}
            return 200, {"Code": str(fault.get("errcode")), "Message": "injected"}
        if params.get("SignName") != self.sign_name:
            return 200, {"Code": "isv.SMS_SIGNATURE_ILLEGAL", "Message": "签名不合法"}
        template = APPROVED.get(params.get("TemplateCode", ""))
        if template is None:
            return 200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法"}
        phone = params.get("PhoneNumbers", "")
        if not re.fullmatch(r"1[3-9]\d{9}", phone):
            return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
        try:
            values = json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            return 200, {"Code": "isv.TEMPLATE_PARAMS_ILLEGAL", "Message": "参数异常"}
        missing = [n for n in re.findall(r"\$\{(\w+)\}", template) if n not in values]
        if missing:
            return 200, {"Code": "isv.TEMPLATE_MISSING_PARAMETERS", "Message": f"缺少参数 {missing}"}
        text = re.sub(r"\$\{(\w+)\}", lambda m: str(values[m.group(1)]), template)
        world.deliver("sms", "+86" + phone, params["TemplateCode"], text, values)
        return 200, {"Code": "OK", "Message": "OK", "BizId": secrets.token_hex(8), "RequestId": secrets.token_hex(8)}
