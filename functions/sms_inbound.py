"""SNS consumer: two-way SMS from citizens (the inbound topic), answered by SMS."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from functions.bootstrap import services
from functions.names import topic_name

bp = Blueprint(__name__)


@bp.on_sns_message(topic=topic_name("inbound-sms"), name="sms_inbound")
def receive(event: Any) -> None:
    """Answer one inbound SMS (an exception lets SNS/Lambda retry; the answer is sent once)."""
    sns = event.to_dict()["Records"][0]["Sns"]
    services().sms_inbound.handle(sns["MessageId"], sns["Message"])
