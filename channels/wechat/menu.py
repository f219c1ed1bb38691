"""The official account's custom menu (自定义菜单): VIEW buttons open the H5 pages (through web OAuth),
CLICK buttons send the ``PROGRESS``/``HELP``/``BIND`` events the OA answers like the commands.

Limits (checked by the local world too): 1–3 buttons, each up to 5 sub-buttons; names ≤ 16 bytes (≤ 60 for
sub-buttons); a CLICK key ≤ 128 bytes, a VIEW url ≤ 1024 bytes.
https://developers.weixin.qq.com/doc/offiaccount/Custom_Menus/Creating_Custom-Defined_Menu.html
"""

from __future__ import annotations

from typing import Any

from shared.errors import Unavailable
from shared.http_client import request_json


def county_menu(h5_base: str) -> dict[str, Any]:
    """The menu Minqing installs: 办事 (guide, questions, binding), 我的 (applications, progress, complaints,
    licences, settings), 帮助 (help). A VIEW button opens the page itself with ``channel=wechat_oa``: without
    a session the page sets out through web OAuth with a nonce of that browser (no fixed, replayable state)."""
    def view(name: str, page: str) -> dict[str, str]:
        """A button opening one H5 page."""
        return {"type": "view", "name": name, "url": f"{h5_base}{page}?channel=wechat_oa"}

    return {"button": [
        {"name": "办事", "sub_button": [view("办事指南", "items"), view("智能问答", "ask"), view("实名绑定", "bind")]},
        {"name": "我的", "sub_button": [view("我的办件", "applications"),
                                       {"type": "click", "name": "查进度", "key": "PROGRESS"},
                                       view("投诉建议", "complaints"), view("我的证照", "licences"),
                                       view("通知设置", "me")]},
        {"type": "click", "name": "帮助", "key": "HELP"},
    ]}


def install_menu(api_base: str, access_token: str, menu: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
    """Create the menu, then read it back (``menu/get``): the menu WeChat now shows."""
    base = api_base.rstrip("/")
    made = request_json("POST", f"{base}/cgi-bin/menu/create", query={"access_token": access_token}, body=menu,
                        timeout=timeout)
    if made.get("errcode"):
        raise Unavailable(f"menu/create refused: errcode {made.get('errcode')} {made.get('errmsg', '')}")
    shown = request_json("GET", f"{base}/cgi-bin/menu/get", query={"access_token": access_token}, timeout=timeout)
    if "menu" not in shown:
        raise Unavailable(f"menu/get: errcode {shown.get('errcode')}")
    return dict(shown["menu"])
