"""SMS through Amazon SNS ``Publish`` to a phone number (transactional).

https://docs.aws.amazon.com/sns/latest/dg/sms_sending-overview.html — China destinations
need registered templates; the text sent is the rendered template.
"""

from __future__ import annotations

from typing import Any


class SnsSmsSender:
    """Implements ``shared.ports.SmsSender`` with SNS direct publish."""

    def __init__(self, client: Any, sender_id: str = "Minqing"):
        self.client, self.sender_id = client, sender_id

    def send(self, phone: str, template: str, params: dict[str, str], text: str) -> str:
        """Publish ``text`` to ``phone`` as a transactional SMS; returns the SNS message id."""
        out = self.client.publish(PhoneNumber=phone, Message=text, MessageAttributes={
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
            "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": self.sender_id},
        })
        return str(out["MessageId"])
