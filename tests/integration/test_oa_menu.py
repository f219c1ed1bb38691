"""``make oa-menu``: the county's custom menu, installed on the local world's WeChat, which checks it
against WeChat's documented limits and reads it back; its VIEW buttons go through web OAuth to /h5/."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from channels.wechat.api import stable_token_fetcher
from channels.wechat.menu import county_menu, install_menu
from functions.bootstrap import Services
from infra.local.stack import stage_env
from infra.ops.oa_menu import main
from infra.world.server import World
from shared.errors import Unavailable
from tests.helpers import Api, H5Visitor

APPID, SECRET, H5 = "wxlocal0a0000000001", "s", "http://127.0.0.1:8000/h5/"


def _token(base: str) -> str:
    return stable_token_fetcher(base, APPID, SECRET)(False)[0]


def test_the_menu_is_accepted_and_read_back_as_installed(world: tuple[World, str]) -> None:
    w, base = world
    w.wechat.whitelists[APPID] = {"127.0.0.1"}
    shown = install_menu(base, _token(base), county_menu(H5))
    names = [b["name"] for b in shown["button"]]
    assert names == ["办事", "我的", "帮助"] and w.menus[APPID]["button"][2]["key"] == "HELP"
    views = [s for b in shown["button"] for s in b.get("sub_button", []) if s["type"] == "view"]
    assert {v["url"] for v in views} == {f"{H5}{p}?channel=wechat_oa" for p in (
        "items", "ask", "bind", "applications", "complaints", "licences", "me")}


def test_a_view_button_leads_through_oauth_back_to_the_h5_page(world: tuple[World, str], api: Api,
                                                               svc: Services) -> None:
    w, base = world
    w.oauth_domains[svc.settings.wechat_oa_appid] = {urlsplit(svc.settings.h5_base).netloc}
    page = county_menu(svc.settings.h5_base)["button"][1]["sub_button"][0]["url"].removeprefix(
        svc.settings.h5_base.removesuffix("h5/"))
    off = H5Visitor(api.client, "Mozilla/5.0 MicroMessenger/8.0.50").get("/" + page, follow=False)
    nonce = off.headers["Set-Cookie"][0].split("=")[1].split(".")[0]
    url = off.headers["Location"].split("#")[0].replace(svc.settings.wechat_open_base, base)

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    with pytest.raises(urllib.error.HTTPError) as went:
        urllib.request.build_opener(Stay).open(url, timeout=5)
    target = went.value.headers["Location"]
    assert target.startswith(svc.settings.h5_base + "login?code=") and target.endswith("&state=" + nonce)


def test_a_menu_wechat_refuses_is_reported_not_installed(world: tuple[World, str]) -> None:
    w, base = world
    w.wechat.whitelists[APPID] = {"127.0.0.1"}
    menu = county_menu(H5)
    menu["button"].append({"type": "click", "name": "多余", "key": "X"})
    with pytest.raises(Unavailable, match="40016"):
        install_menu(base, _token(base), menu)
    assert APPID not in w.menus


def test_the_command_installs_the_local_stages_menu(world: tuple[World, str], monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    w, base = world
    port = base.rsplit(":", 1)[1]
    monkeypatch.setenv("MINQING_LOCAL_WORLD_PORT", port)
    appid = stage_env({"aws": 5000, "api": 8000, "world": int(port)})["MINQING_WECHAT_OA_APPID"]
    w.wechat.whitelists[appid] = {"127.0.0.1"}
    assert main(["--stage", "local"]) == 0
    assert '"name": "办事"' in capsys.readouterr().out and w.menus[appid]["button"][0]["name"] == "办事"
