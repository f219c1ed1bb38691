"""WeChat figures for ``make bench``: one safe-mode text message end to end, and its DynamoDB requests.

CPU time: verify + decrypt + parse + dedupe + dispatch (``进度 <no>``) + encrypt the reply, with
storage replaced by an in-memory fake, against wechatpy's own decrypt + parse + reply + encrypt.
Requests: the same message against moto, counting DynamoDB calls.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

from infra.deploy import RESOURCES

TOKEN, APPID, KEY = "benchtoken", "wxbench", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
N = 400


class MemoryTable:
    """The part of ``shared.storage.dynamo.Table`` the message path uses, in memory."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}

    def get(self, pk: str, sk: str, consistent: bool = True) -> dict[str, Any] | None:
        return self.items.get((pk, sk))

    def batch_get(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        return {k: self.items[k] for k in keys if k in self.items}

    def put(self, item: dict[str, Any], condition: str | None = None, **_: Any) -> None:
        from shared.storage.dynamo import ConditionFailed

        key = (item["pk"], item["sk"])
        if condition == "attribute_not_exists(pk)" and key in self.items:
            raise ConditionFailed(self.items[key])
        self.items[key] = dict(item)


def _message(crypto: Any, no: str, msg_id: int, ts: str, nonce: str) -> tuple[dict[str, str], bytes]:
    from channels.wechat.crypto import signature

    plain = (f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[o-bench]]></FromUserName>"
             f"<CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[进度 {no}]]>"
             f"</Content><MsgId>{msg_id}</MsgId></xml>")
    encrypted, msg_signature = crypto.encrypt(plain, ts, nonce)
    query = {"signature": signature(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "encrypt_type": "aes",
             "msg_signature": msg_signature}
    envelope = f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    return query, envelope.encode()


def _official_account(table: Any, clock: Any) -> Any:
    from channels.wechat.crypto import MessageCrypto
    from channels.wechat.oa import OfficialAccount
    from shared.services.conversation import Conversation
    from shared.services.identity import IdentityService
    from shared.services.inbound import InboundLog
    from shared.storage.dynamo_unit import DynamoUnitOfWork

    def uow() -> DynamoUnitOfWork:
        return DynamoUnitOfWork(table)

    identity = IdentityService(uow, None, None, "pepper", clock)  # type: ignore[arg-type]
    conversation = Conversation(identity, None, None, None, "https://x/bind", 30)  # type: ignore[arg-type]
    return OfficialAccount(TOKEN, APPID, MessageCrypto(TOKEN, APPID, [KEY]), conversation, InboundLog(uow, clock),
                           clock)


def _seed(table: Any) -> str:
    no = "SB20260928123456"
    table.put({"pk": "ACC#wechat_oa#o-bench", "sk": "ACC", "channel": "wechat_oa", "account": "o-bench",
               "citizen_id": "c1", "locale": "zh-CN"})
    table.put({"pk": f"APP#{no}", "sk": "APP", "application_no": no, "citizen_id": "c1", "account": "x",
               "item_code": "V-CW-001", "item_name": "居住证明开具", "status": "accepted", "promised_days": 1,
               "timeline": [{"status": "accepted", "at": "2026-09-28T10:00:00+08:00"}],
               "submitted_at": "2026-09-28T10:00:00+08:00", "deadline": "2026-09-29"})
    return no


def cpu_ratio() -> tuple[float, float]:
    """CPU seconds per message: (ours, wechatpy floor)."""
    from wechatpy import create_reply, parse_message
    from wechatpy.crypto import WeChatCrypto

    from channels.wechat.crypto import MessageCrypto
    from shared.clock import CST, FixedClock

    ts = "1790560800"
    clock = FixedClock(datetime.fromtimestamp(int(ts), CST))
    table = MemoryTable()
    no = _seed(table)
    oa = _official_account(table, clock)
    crypto = MessageCrypto(TOKEN, APPID, [KEY])
    ours_in = [_message(crypto, no, 10**15 + i, ts, f"n{i}") for i in range(N)]
    oa.handle(*ours_in[0])  # warm-up (first-use schema builds)
    start = time.process_time()
    for query, body in ours_in[1:]:
        oa.handle(query, body)
    ours = (time.process_time() - start) / (N - 1)

    floor_crypto = WeChatCrypto(TOKEN, KEY, APPID)
    start = time.process_time()
    for query, body in ours_in[1:]:
        xml = floor_crypto.decrypt_message(body.decode(), query["msg_signature"], ts, query["nonce"])
        msg = parse_message(xml)
        floor_crypto.encrypt_message(create_reply(f"{no} 居住证明开具:已受理", msg).render(), query["nonce"], ts)
    floor = (time.process_time() - start) / (N - 1)
    return ours, floor


def dynamodb_requests() -> int:
    """DynamoDB requests for one message, counted on moto."""
    import boto3
    from moto import mock_aws

    from shared.clock import CST, FixedClock
    from shared.storage.dynamo import Table

    ts = "1790560800"
    with mock_aws():
        client = boto3.client("dynamodb", region_name="cn-north-1")
        spec = json.loads(RESOURCES.read_text())["Resources"]["Table"]["Properties"]
        spec = {k: v for k, v in spec.items() if k in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes",
                                                        "BillingMode")}
        client.create_table(TableName="bench", **spec)
        table = Table(client, "bench")
        no = _seed(table)
        oa = _official_account(table, FixedClock(datetime.fromtimestamp(int(ts), CST)))
        calls: list[str] = []
        client.meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
        oa.handle(*_message(oa.crypto, no, 777, ts, "nonce"))
        return len(calls)
