"""WeChat's XML on the wire, parsed defensively into models that keep WeChat's field names.

No DTD, no entities: defusedxml refuses them in the *decoded* document, whatever its encoding
(a UTF-16 body hides ``<!DOCTYPE`` from any byte search); bounded size; message types this
adapter does not know become ``unknown`` rather than an error.
https://github.com/tiran/defusedxml
https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Literal
from xml.sax.saxutils import escape

from pydantic import BaseModel, ConfigDict, ValidationError

from shared.errors import BadRequest

MAX_XML = 64 * 1024
KNOWN_TYPES = {"text", "event"}


class WxMessage(BaseModel):
    """An inbound message or event (fields as WeChat names them)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    ToUserName: str
    FromUserName: str
    CreateTime: int
    MsgType: str
    Content: str | None = None
    MsgId: str | None = None
    Event: str | None = None
    EventKey: str | None = None

    @property
    def kind(self) -> Literal["text", "event", "unknown"]:
        """``text``, ``event`` or ``unknown`` (image, voice, location… are not handled here)."""
        return self.MsgType if self.MsgType in KNOWN_TYPES else "unknown"  # type: ignore[return-value]

    @property
    def dedupe_key(self) -> str:
        """``MsgId`` for messages, ``FromUserName`` + ``CreateTime`` for events."""
        return f"msg:{self.MsgId}" if self.MsgId else f"evt:{self.FromUserName}:{self.CreateTime}"


def parse_xml(raw: bytes) -> dict[str, str]:
    """The child elements of ``<xml>`` as a flat dict; BadRequest for anything else."""
    if len(raw) > MAX_XML:
        raise BadRequest("XML body too large")
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise BadRequest("DTDs and entities are not accepted") from None
    except ET.ParseError:
        raise BadRequest("malformed XML") from None
    if root.tag != "xml":
        raise BadRequest("root element must be <xml>")
    return {child.tag: (child.text or "") for child in root if len(child) == 0}


def parse_message(fields: dict[str, str]) -> WxMessage:
    """A message from parsed fields (BadRequest when required fields are missing)."""
    try:
        return WxMessage.model_validate(fields)
    except ValidationError:
        raise BadRequest("not a WeChat message") from None


def cdata(value: str) -> str:
    """A CDATA section that stays one even when the value contains ``]]>``."""
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(to: str, sender: str, content: str, now: int) -> str:
    """A passive text reply."""
    return (f"<xml><ToUserName>{cdata(to)}</ToUserName><FromUserName>{cdata(sender)}</FromUserName>"
            f"<CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content>{cdata(content)}</Content></xml>")


def encrypted_reply(encrypted: str, signature: str, timestamp: str, nonce: str) -> str:
    """The safe-mode envelope of a reply."""
    return (f"<xml><Encrypt>{cdata(encrypted)}</Encrypt><MsgSignature>{cdata(signature)}</MsgSignature>"
            f"<TimeStamp>{escape(timestamp)}</TimeStamp><Nonce>{cdata(nonce)}</Nonce></xml>")
