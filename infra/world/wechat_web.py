"""The official account's web OAuth page (网页授权) and custom menu (自定义菜单) in the local world, written
from WeChat's documentation (not Minqing's code); each rule cites its source.

Web OAuth (https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html):

- ``GET /connect/oauth2/authorize?appid&redirect_uri&response_type=code&scope&state`` sends the browser back to
  ``redirect_uri`` with ``code`` and ``state`` appended; ``scope`` is ``snsapi_base`` or ``snsapi_userinfo``.
- ``redirect_uri`` must lie on the account's 网页授权域名 (the full host, here with its port if any); otherwise
  the page says "redirect_uri 参数错误" (10003) and does not redirect. A scope outside the two says
  "scope 参数错误或没有 scope 权限" (10005). An appid the world does not know answers 40013 invalid appid
  (https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html).
- "code作为换取access_token的票据，每次用户授权带上的code将不一样，code只能使用一次，5分钟未被使用自动过期":
  a second use is 40163, an expired code (or one shown with another appid) 40029 invalid code.
- The simulated WeChat client names its user by the cookie ``wechat_openid`` on the world's origin; without
  one the page mints an openid and sets the cookie, so the same browser stays the same follower.

Custom menu (https://developers.weixin.qq.com/doc/offiaccount/Custom_Menus/Creating_Custom-Defined_Menu.html,
https://developers.weixin.qq.com/doc/service/api/custommenu/api_createcustommenu, codes from the global return
code page above): 1–3 top-level buttons (40016), at most 5 sub-buttons each (40023); a name of at most 16 bytes,
a sub-button's at most 60 (40018 / 40025); ``type`` from the documented list (40017 / 40024); ``key`` of click and
the other event types 1–128 bytes (40019 / 40026); ``url`` of view and miniprogram 1–1024 bytes (40020 / 40027);
``media_id`` for media_id (40007); a body that is not JSON is 47001 data format error. ``menu/get`` answers 46003
"menu no exist" when there is none (https://developers.weixin.qq.com/doc/service/api/custommenu/api_getmenu).
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from infra.world.server import Query, World

Answer = tuple[Any, ...]  # (status, body) or (status, body, headers)

CODE_TTL = 300  # seconds: "5分钟未被使用自动过期"
SCOPES = frozenset({"snsapi_base", "snsapi_userinfo"})
COOKIE = "wechat_openid"
EVENT_TYPES = frozenset({"click", "scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album",
                         "pic_weixin", "location_select"})  # "key: click等点击类型必须"
TYPES = EVENT_TYPES | {"view", "media_id", "article_id", "article_view_limited", "miniprogram"}
HOST = re.compile(r"[a-z0-9.-]+(?::\d{1,5})?")
OPENID = re.compile(r"[A-Za-z0-9_-]{1,64}")
TOP, SUB = {"type": 40017, "name": 40018, "key": 40019, "url": 40020}, {
    "type": 40024, "name": 40025, "key": 40026, "url": 40027}
MESSAGES = {40007: "invalid media_id", 40016: "invalid button size", 40017: "invalid button type",
            40018: "invalid button name size", 40019: "invalid button key size", 40020: "invalid button url size",
            40023: "invalid sub button size", 40024: "invalid sub button type", 40025: "invalid sub button name size",
            40026: "invalid sub button key size", 40027: "invalid sub button url size",
            47001: "data format error"}


@dataclass(frozen=True)
class OAuthGrant:
    """A code handed out by the authorize page: whose it is, for which account, until when."""

    appid: str
    openid: str
    scope: str
    expires_at: float


def error(errcode: int, errmsg: str) -> Answer:
    """A WeChat API error answer."""
    return 200, {"errcode": errcode, "errmsg": errmsg}


def api_refusal(world: World, q: Query) -> tuple[str, Answer | None]:
    """The token's appid, or the refusal every /cgi-bin API gives: 40001, 42001, 40164 (wechat_platform.py)."""
    errcode, appid = world.wechat.check(q.get("access_token"))
    if errcode == 40001:
        return "", error(40001, "invalid credential, access_token is invalid or not latest")
    if errcode == 42001:
        return appid or "", error(42001, "access_token expired")
    refused = world.wechat.ip_refused(appid or "", q.ip)
    return appid or "", ((200, refused) if refused else None)


# --- web OAuth ------------------------------------------------------------------------------------------
def _page(errcode: int | None, message: str) -> Answer:
    """WeChat's error page: status 200, no redirect."""
    code = f"<p>errcode: {errcode}</p>" if errcode is not None else ""
    page = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>微信网页授权</title></head>'
            f"<body><h1>Oops! Something went wrong:(</h1><p>{html.escape(message)}</p>{code}</body></html>")
    return 200, page, [("X-Local-Errcode", str(errcode if errcode is not None else -1))]


def authorize(world: World, q: Query, body: Any) -> Answer:
    """``GET /connect/oauth2/authorize``: redirect with a fresh code for the cookie's follower, or an error page."""
    appid, redirect_uri, scope = q.get("appid", ""), q.get("redirect_uri", ""), q.get("scope", "")
    with world.lock:
        domains = world.oauth_domains.get(appid) if appid else None
    if domains is None:
        return _page(40013, "appid 参数错误 (invalid appid)")
    target = urlsplit(redirect_uri)
    if target.scheme not in ("http", "https") or target.netloc.lower() not in domains:
        return _page(10003, "redirect_uri 参数错误")
    if q.get("response_type") != "code":
        return _page(None, "response_type 参数错误")
    if scope not in SCOPES:
        return _page(10005, "scope 参数错误或没有 scope 权限")
    openid = q.cookies.get(COOKIE, "")
    headers: list[tuple[str, str]] = []
    if not OPENID.fullmatch(openid):
        openid = "o" + secrets.token_hex(14)[:27]
        headers.append(("Set-Cookie", f"{COOKIE}={openid}; Path=/; HttpOnly; SameSite=Lax"))
    code = secrets.token_hex(16)
    with world.lock:
        world.oauth_codes[code] = OAuthGrant(appid, openid, scope, world.wechat.now() + CODE_TTL)
    added = urlencode({"code": code, "state": q.get("state", "")})
    location = urlunsplit(target._replace(query=f"{target.query}&{added}" if target.query else added))
    headers.append(("Location", quote(location, safe=":/?#[]@!$&'()*+,;=%~")))
    return 302, "", headers


def redeem(world: World, appid: str, code: str) -> dict[str, Any] | None:
    """``/sns/oauth2/access_token`` for a code the authorize page handed out (``None`` for any other code)."""
    with world.lock:
        grant = world.oauth_codes.get(code)
        if grant is None:
            return None
        if code in world.used_codes:
            return {"errcode": 40163, "errmsg": "code been used"}
        if grant.appid != appid or grant.expires_at <= world.wechat.now():
            return {"errcode": 40029, "errmsg": "invalid code"}
        world.used_codes.add(code)
    return {"access_token": secrets.token_urlsafe(16), "expires_in": 7200, "refresh_token": secrets.token_urlsafe(16),
            "openid": grant.openid, "scope": grant.scope}


def oauth_domain(world: World, q: Query, body: Any) -> Answer:
    """``POST /local/wechat/oauth-domain {"appid","domains"}``: the account's 网页授权域名 (``domains`` null: none)."""
    appid, domains = str(body.get("appid") or ""), body.get("domains")
    if not appid:
        return 400, {"error": "appid is required"}
    if domains is not None and (not isinstance(domains, list)
                                or not all(isinstance(d, str) and HOST.fullmatch(d.lower()) for d in domains)):
        return 400, {"error": "domains are hosts, host[:port] without scheme or path"}
    with world.lock:
        if domains is None:
            world.oauth_domains.pop(appid, None)
        else:
            world.oauth_domains[appid] = {d.lower() for d in domains}
        return 200, {"appid": appid, "domains": sorted(world.oauth_domains.get(appid, set()))}


# --- custom menu ----------------------------------------------------------------------------------------
def _size_ok(value: Any, limit: int) -> bool:
    """A non-empty string of at most ``limit`` bytes in UTF-8 (WeChat counts bytes, not characters)."""
    return isinstance(value, str) and 0 < len(value.encode("utf-8")) <= limit


def _leaf(button: dict[str, Any], codes: dict[str, int]) -> int | None:
    """The errcode of a button that acts (not a parent of sub-buttons), or None."""
    kind = button.get("type")
    if kind not in TYPES:
        return codes["type"]
    if kind in EVENT_TYPES and not _size_ok(button.get("key"), 128):
        return codes["key"]
    if kind in ("view", "miniprogram"):
        url = button.get("url")
        if not _size_ok(url, 1024) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            return codes["url"]
    if kind == "media_id" and not button.get("media_id"):
        return 40007
    needs = {"miniprogram": ("appid", "pagepath"), "article_id": ("article_id",),
             "article_view_limited": ("article_id",)}.get(kind, ())
    return 47001 if any(not isinstance(button.get(f), str) or not button[f] for f in needs) else None


def menu_violation(body: Any) -> int | None:
    """The errcode menu/create answers for ``body``, or None when the menu is valid."""
    buttons = body.get("button") if isinstance(body, dict) else None
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        return 40016
    for button in buttons:
        if not isinstance(button, dict):
            return 47001
        subs = button.get("sub_button") or []
        if not isinstance(subs, list) or len(subs) > 5:
            return 40023
        if not _size_ok(button.get("name"), 16):
            return 40018
        for sub in subs:
            if not isinstance(sub, dict):
                return 47001
            if not _size_ok(sub.get("name"), 60):
                return 40025
            if (failed := _leaf(sub, SUB)) is not None:
                return failed
        if not subs and (failed := _leaf(button, TOP)) is not None:
            return failed
    return None


def _stored(button: dict[str, Any]) -> dict[str, Any]:
    """A button as menu/get shows it: every button carries ``sub_button`` (empty for one that acts)."""
    return {**button, "sub_button": [_stored(s) for s in button.get("sub_button") or []]}


def menu_create(world: World, q: Query, body: Any) -> Answer:
    """``POST /cgi-bin/menu/create``: the checks above, then the token's account has this menu."""
    appid, refused = api_refusal(world, q)
    if refused:
        return refused
    fault = world.take_fault("wechat_menu")
    if fault:
        if "errcode" in fault:
            return error(int(fault["errcode"]), "injected")
        return int(fault.get("status", 500)), {"errmsg": "injected"}
    failed = 47001 if body is None else menu_violation(body)
    if failed is not None:
        return error(failed, MESSAGES[failed])
    with world.lock:
        world.menus[appid] = {"button": [_stored(b) for b in body["button"]]}
    return error(0, "ok")


def menu_get(world: World, q: Query, body: Any) -> Answer:
    """``GET /cgi-bin/menu/get``: ``{"menu": {"button": [...]}}``, or 46003 when the account has none."""
    appid, refused = api_refusal(world, q)
    if refused:
        return refused
    with world.lock:
        menu = world.menus.get(appid)
    return (200, {"menu": menu}) if menu else error(46003, "menu no exist")


def menu_delete(world: World, q: Query, body: Any) -> Answer:
    """``GET /cgi-bin/menu/delete``: the account has no menu afterwards."""
    appid, refused = api_refusal(world, q)
    if refused:
        return refused
    with world.lock:
        world.menus.pop(appid, None)
    return error(0, "ok")


menu_create.raw_json = True  # type: ignore[attr-defined]  # a body that is not JSON is 47001, not the world's 400
