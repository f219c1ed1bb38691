"""The local world's official-account web OAuth page (网页授权) and custom menu (自定义菜单), as WeChat's docs
describe them (infra/world/wechat_web.py): who the browser is, where a code may go, how often it works, and
which menus menu/create refuses."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from email.message import Message
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from infra.world.server import World, openid_for

OA = "wxoa-web"
APP = "127.0.0.1:8000"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let a 302 come back as it is."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        """Never follow."""
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def _call(url: str, body: Any = None, cookie: str = "", raw: bytes | None = None) -> tuple[int, Message, bytes]:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie} if cookie else {})
    try:
        with OPENER.open(request, timeout=5) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers, refused.read()


def _json(url: str, body: Any = None, raw: bytes | None = None) -> dict[str, Any]:
    return json.loads(_call(url, body, raw=raw)[2])


@pytest.fixture
def web(world: tuple[World, str]) -> tuple[World, str]:
    """The world with ``APP`` registered as the account's 网页授权域名."""
    w, base = world
    assert _json(f"{base}/local/wechat/oauth-domain", {"appid": OA, "domains": [APP]}) == {
        "appid": OA, "domains": [APP]}
    return w, base


def _authorize(base: str, cookie: str = "", **changes: str) -> tuple[int, Message, bytes]:
    params = {"appid": OA, "redirect_uri": f"http://{APP}/oa/entry?next=/me", "response_type": "code",
              "scope": "snsapi_base", "state": "s 1/中", **changes}
    return _call(f"{base}/connect/oauth2/authorize?{urlencode(params)}", cookie=cookie)


def _code(headers: Message) -> str:
    return parse_qs(urlsplit(headers["Location"]).query)["code"][0]


def _exchange(base: str, code: str, appid: str = OA) -> dict[str, Any]:
    return _json(f"{base}/sns/oauth2/access_token?{urlencode({'appid': appid, 'secret': 's', 'code': code})}")


def _token(base: str, appid: str = OA) -> str:
    return _json(f"{base}/cgi-bin/token?appid={appid}&secret=s&grant_type=client_credential")["access_token"]


def test_a_valid_authorize_redirects_with_a_code_and_the_state(web: tuple[World, str]) -> None:
    _, base = web
    status, headers, _ = _authorize(base)
    assert status == 302
    target = urlsplit(headers["Location"])
    assert (target.scheme, target.netloc, target.path) == ("http", APP, "/oa/entry")
    query = parse_qs(target.query)
    assert query["next"] == ["/me"] and query["state"] == ["s 1/中"] and len(query["code"][0]) >= 16
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("wechat_openid=o") and "Path=/" in cookie
    openid = cookie.split(";")[0].split("=", 1)[1]
    assert len(openid) == 28
    assert _exchange(base, query["code"][0])["openid"] == openid


def test_the_same_cookie_is_the_same_follower_twice(web: tuple[World, str]) -> None:
    _, base = web
    first = [_exchange(base, _code(_authorize(base, cookie="wechat_openid=oFollower1")[1])) for _ in range(2)]
    assert [f["openid"] for f in first] == ["oFollower1", "oFollower1"]
    _, headers, _ = _authorize(base, cookie="wechat_openid=oFollower1")
    assert headers["Set-Cookie"] is None


def test_two_browsers_are_two_followers(web: tuple[World, str]) -> None:
    _, base = web
    assert _authorize(base)[1]["Set-Cookie"] != _authorize(base)[1]["Set-Cookie"]


def test_a_code_works_once(web: tuple[World, str]) -> None:
    _, base = web
    code = _code(_authorize(base, scope="snsapi_userinfo")[1])
    assert _exchange(base, code)["scope"] == "snsapi_userinfo"
    assert _exchange(base, code)["errcode"] == 40163


def test_rejects_a_code_after_five_minutes_or_for_another_account(web: tuple[World, str]) -> None:
    w, base = web
    code = _code(_authorize(base)[1])
    assert _exchange(base, code, appid="wxother")["errcode"] == 40029
    w.wechat.advance(301)
    assert _exchange(base, code)["errcode"] == 40029


def test_a_code_the_page_did_not_mint_keeps_the_deterministic_openid(web: tuple[World, str]) -> None:
    _, base = web
    assert _exchange(base, "fixed-code")["openid"] == openid_for(OA, "fixed-code")
    assert _exchange(base, "fixed-code")["errcode"] == 40163


@pytest.mark.parametrize(("changes", "errcode"), [
    ({"redirect_uri": "http://evil.example/oa/entry"}, 10003),
    ({"redirect_uri": "http://127.0.0.1:9999/oa/entry"}, 10003),
    ({"redirect_uri": f"ftp://{APP}/oa/entry"}, 10003),
    ({"scope": "snsapi_login"}, 10005),
    ({"scope": ""}, 10005),
    ({"appid": "wxunknown"}, 40013),
    ({"appid": ""}, 40013),
    ({"response_type": "token"}, -1),
])
def test_rejects_a_bad_authorize_request_without_redirecting(web: tuple[World, str], changes: dict[str, str],
                                                             errcode: int) -> None:
    w, base = web
    status, headers, page = _authorize(base, **changes)
    assert status == 200 and headers["Location"] is None and headers["Content-Type"].startswith("text/html")
    assert int(headers["X-Local-Errcode"]) == errcode
    if errcode == 10003:
        assert "redirect_uri 参数错误" in page.decode()
    if errcode == 10005:
        assert "scope 参数错误或没有 scope 权限" in page.decode()
    assert not w.oauth_codes


def test_rejects_oauth_domains_with_a_scheme(world: tuple[World, str]) -> None:
    _, base = world
    status, _, _ = _call(f"{base}/local/wechat/oauth-domain", {"appid": OA, "domains": ["http://x.example"]})
    assert status == 400


# --- custom menu ------------------------------------------------------------------------------------------
def _leaf(name: str = "办事指南", **fields: str) -> dict[str, str]:
    return {"type": "click", "name": name, "key": "GUIDE", **fields}


MENU = {"button": [
    _leaf("办事"),
    {"name": "我的", "sub_button": [
        {"type": "view", "name": "我的办件", "url": f"http://{APP}/oa/entry?next=/me"},
        _leaf("进度查询", key="PROGRESS"),
        {"type": "scancode_push", "name": "扫码", "key": "SCAN"},
        {"type": "location_select", "name": "附近网点", "key": "NEAR"},
        {"type": "view", "name": "预约", "url": "https://example.com/book"},
    ]},
    {"name": "帮助", "sub_button": [_leaf("常见问题", key="FAQ")]},
]}


def _create(base: str, menu: Any, token: str) -> dict[str, Any]:
    return _json(f"{base}/cgi-bin/menu/create?access_token={token}", menu)


def test_menu_create_accepts_three_buttons_with_sub_buttons_and_menu_get_returns_them(
        world: tuple[World, str]) -> None:
    _, base = world
    token = _token(base)
    assert _json(f"{base}/cgi-bin/menu/get?access_token={token}")["errcode"] == 46003
    assert _create(base, MENU, token) == {"errcode": 0, "errmsg": "ok"}
    got = _json(f"{base}/cgi-bin/menu/get?access_token={token}")["menu"]["button"]
    assert [b["name"] for b in got] == ["办事", "我的", "帮助"]
    assert got[0] == {**MENU["button"][0], "sub_button": []}
    assert [s["name"] for s in got[1]["sub_button"]] == ["我的办件", "进度查询", "扫码", "附近网点", "预约"]
    assert got[1]["sub_button"][0]["url"] == f"http://{APP}/oa/entry?next=/me"
    assert _json(f"{base}/cgi-bin/menu/get?access_token={_token(base, 'wxother')}")["errcode"] == 46003
    assert _json(f"{base}/cgi-bin/menu/delete?access_token={token}") == {"errcode": 0, "errmsg": "ok"}
    assert _json(f"{base}/cgi-bin/menu/get?access_token={token}")["errcode"] == 46003


def _with_sub(sub: dict[str, str]) -> dict[str, Any]:
    return {"button": [{"name": "我的", "sub_button": [sub]}]}


@pytest.mark.parametrize(("menu", "errcode"), [
    ({"button": [_leaf("一"), _leaf("二"), _leaf("三"), _leaf("四")]}, 40016),
    ({"button": []}, 40016),
    ({}, 40016),
    ({"button": [{"name": "我的", "sub_button": [_leaf(f"子{i}") for i in range(6)]}]}, 40023),
    ({"button": [_leaf("六个汉字名称")]}, 40018),  # 18 bytes
    ({"button": [_leaf("")]}, 40018),
    ({"button": [_leaf(type="dance")]}, 40017),
    ({"button": [{"name": "无类型"}]}, 40017),
    ({"button": [{"type": "click", "name": "无键"}]}, 40019),
    ({"button": [_leaf(key="k" * 129)]}, 40019),
    ({"button": [{"type": "view", "name": "网页", "url": "ftp://example.com/a"}]}, 40020),
    ({"button": [{"type": "view", "name": "网页", "url": "https://example.com/" + "a" * 1005}]}, 40020),
    ({"button": [{"type": "view", "name": "网页"}]}, 40020),
    (_with_sub(_leaf("名" * 21)), 40025),  # 63 bytes
    (_with_sub(_leaf(type="dance")), 40024),
    (_with_sub({"type": "click", "name": "无键"}), 40026),
    (_with_sub({"type": "view", "name": "网页", "url": "javascript:alert(1)"}), 40027),
    ({"button": [{"type": "media_id", "name": "图片"}]}, 40007),
])
def test_rejects_each_documented_menu_violation(world: tuple[World, str], menu: dict[str, Any],
                                                errcode: int) -> None:
    w, base = world
    assert _create(base, menu, _token(base))["errcode"] == errcode
    assert not w.menus


def test_the_url_limit_is_1024_bytes(world: tuple[World, str]) -> None:
    _, base = world
    url = "https://example.com/" + "a" * 1004
    assert len(url) == 1024
    assert _create(base, {"button": [{"type": "view", "name": "网页", "url": url}]}, _token(base))["errcode"] == 0
    assert _create(base, {"button": [_leaf("五个汉字名")]}, _token(base))["errcode"] == 0  # 15 bytes


def test_rejects_a_menu_body_that_is_not_json(world: tuple[World, str]) -> None:
    _, base = world
    assert _json(f"{base}/cgi-bin/menu/create?access_token={_token(base)}", raw=b"{button:")["errcode"] == 47001


def test_rejects_menu_calls_with_a_stale_or_invalid_token(world: tuple[World, str]) -> None:
    w, base = world
    token = _token(base)
    assert _create(base, MENU, "nonsense")["errcode"] == 40001
    w.wechat.advance(7201)
    assert _create(base, MENU, token)["errcode"] == 42001
    assert _json(f"{base}/cgi-bin/menu/get?access_token={token}")["errcode"] == 42001
    fresh = _token(base)
    w.revoke_tokens()
    assert _json(f"{base}/cgi-bin/menu/delete?access_token={fresh}")["errcode"] == 40001
    assert not w.menus


def test_rejects_menu_calls_from_an_ip_off_the_whitelist(world: tuple[World, str]) -> None:
    w, base = world
    token = _token(base)
    w.wechat.whitelists[OA] = {"203.0.113.7"}
    answer = _create(base, MENU, token)
    assert answer["errcode"] == 40164 and "whitelist" in answer["errmsg"]
    assert not w.menus
