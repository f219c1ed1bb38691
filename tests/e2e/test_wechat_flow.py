"""WeChat end to end against the local world: an OA follower asks for progress in chat; a
mini-program user subscribes and receives the completion as a subscribe message."""

from __future__ import annotations

import secrets

from tests.e2e.conftest import LocalStack


def _bind(stack: LocalStack, login_path: str, id_number: str, name: str) -> tuple[dict[str, str], str]:
    auth, _, me = stack.bind(login_path, {"code": "c-" + secrets.token_hex(6)}, id_number, name, "135")
    return auth, next(b["account"] for b in me["bindings"] if b["channel"] != "sms")


def test_an_oa_follower_binds_and_asks_for_progress_in_chat(stack: LocalStack) -> None:
    auth, openid = _bind(stack, "/v1/auth/wechat-oa", "110101199003070011", "王五")
    no = stack.apply(auth)
    reply = stack.oa_text(openid, f"进度 {no}")
    assert f"{no} 居住证明开具:已提交" in reply
    assert f"<ToUserName><![CDATA[{openid}]]></ToUserName>" in reply


def test_a_mini_user_subscribes_and_gets_the_completion_as_a_subscribe_message(stack: LocalStack) -> None:
    auth, openid = _bind(stack, "/v1/auth/wechat-mini", "110101199003070038", "赵六")
    templates = stack.api("GET", "/v1/subscriptions", headers=auth)[1]["templates"]
    done = templates["completion"]
    status, credits = stack.api("POST", "/v1/subscriptions", {"template_ids": [done]}, auth)
    assert status == 200 and credits["credits"][done] == 1
    no = stack.apply(auth)
    for step in ("accepted", "in_review", "completed"):
        assert stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": step})[0] == 200
    sent = stack.outbox(lambda ms: any(m["channel"] == "wechat_mini" and m["to"] == openid for m in ms))
    message = next(m for m in sent if m["channel"] == "wechat_mini" and m["to"] == openid)
    assert message["template"] == done and no in message["text"]
    assert stack.api("GET", "/v1/subscriptions", headers=auth)[1]["credits"][done] == 0
    assert not [m for m in sent if m["channel"] == "sms" and no in m["text"]]
