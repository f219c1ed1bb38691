"""移动服务门户 (``/h5/``): the citizen's pages, for OA followers and any phone browser.

One door for every page (``portal``): the session is the citizen's session token in an HttpOnly cookie;
no session → WeChat's web OAuth inside WeChat, else sign-in by phone and SMS code; every posted form
carries the session's CSRF token; any refusal is a page with a way back.
https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from chalice import Blueprint, Response
from chalice.app import Request

from functions.bootstrap import services
from functions.web import asked_path, cookie, form, html, redirect, request, route, set_cookie
from shared.errors import Forbidden, MinqingError, NotBound, Unauthorized, ValidationFailed

if TYPE_CHECKING:
    from shared.contract.records import Citizen
    from shared.pages.h5_layout import Visit
    from shared.sessions import Principal

bp = Blueprint(__name__)
SESSION, PRE, PENDING, OAUTH = "minqing_h5", "minqing_h5_pre", "minqing_h5_pending", "minqing_h5_oauth"
LANG, ACCESS = "minqing_h5_lang", "minqing_h5_access"
FORM = ["application/x-www-form-urlencoded"]
YEAR = 365 * 86400


def lax_cookie(name: str, value: str, max_age: int) -> str:
    """The session cookie: HttpOnly and Secure, SameSite=Lax so that coming back from WeChat's OAuth page (a
    cross-site redirect) still carries it; forms are guarded by the CSRF token, not by SameSite."""
    return set_cookie(name, value, max_age, "Lax")


def safe_here(value: str | None) -> str:
    """A path under /h5/ to come back to: letters, digits, ``-_/`` only (never another site), else home."""
    value = (value or "").strip("/")
    ok = len(value) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_/") for c in value) and ".." not in value
    return value if ok else ""


def visit(req: Request, up: str, here: str, csrf: str = "", signed: bool = False) -> Visit:
    """The page language (``?lang=``, the language cookie, the browser's) and mode of a request."""
    from shared.api_docs_page import choose_language
    from shared.pages.h5_layout import Visit

    asked = (req.query_params or {}).get("lang") or cookie(req, LANG)
    lang = choose_language(asked, req.headers.get("accept-language"))
    return Visit(lang, cookie(req, ACCESS) == "1", up, here, csrf, signed)


def item_names(lang: str) -> dict[str, str]:
    """Item names in English by code, for English pages (Chinese pages keep the names applications carry)."""
    return {i.code: i.name_en for i in services().approval.catalogue() if i.name_en} if lang == "en" else {}


@dataclass
class Call:
    """A citizen's page request: the visit, who (None when not signed in), their session, the posted form."""

    req: Request
    v: Visit
    principal: Principal | None
    session: str
    fields: dict[str, str] = field(default_factory=dict)

    def citizen(self) -> Citizen:
        """The bound citizen (Forbidden, shown with the way to bind, when the account is not bound)."""
        assert self.principal is not None
        return services().identity.citizen_of(self.principal)


def in_wechat(req: Request) -> bool:
    """WeChat's in-app browser says so in its User-Agent."""
    return "micromessenger" in (req.headers.get("user-agent") or "").lower()


def to_wechat_oauth(here: str) -> Response:
    """Off to WeChat's authorize page; ``state`` is a nonce this browser also holds in a cookie, so that
    ``/h5/login`` opens a session only for the browser that set out (RFC 6749 §10.12: no login CSRF)."""
    import secrets

    from channels.wechat.login import oauth_authorize_url

    s, nonce = services().settings, secrets.token_hex(16)
    url = oauth_authorize_url(s.wechat_open_base, s.wechat_oa_appid, s.h5_base, nonce)
    return redirect(url, cookies=[lax_cookie(OAUTH, f"{nonce}.{here.encode().hex()}", 600)])


def portal(bp: Blueprint, path: str, methods: list[str] | None = None, *, signed_in: bool = True,
           returns: str | None = None) -> Callable[..., Callable[..., Response]]:
    """Register an H5 page once for all of them: session, CSRF on POST, refusals as pages; a form posted
    without a session signs in and comes back to the page ``returns`` names (default: ``path``)."""
    up = "../" * max(path.count("/") - 2, 0)

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(view)
        def page_view(**params: str) -> Response:
            from shared.pages.h5_layout import error_shell

            req, s = request(bp), services()
            here = safe_here((returns or path).removeprefix("/h5").format(**params))
            if here and req.method == "GET" and asked_path(req).endswith("/"):  # /h5/items/ → /h5/items: the
                return redirect("../" + here.rsplit("/", 1)[-1])  # relative links resolve from the page itself
            session = cookie(req, SESSION) or ""
            try:
                principal = s.identity.tokens.verify(session, int(s.clock.now().timestamp())) if session else None
            except Unauthorized:
                principal, session = None, ""
            v = visit(req, up, here, s.portal.csrf(session) if session else "", principal is not None)
            if principal is None and signed_in:
                if in_wechat(req) or (req.query_params or {}).get("channel") == "wechat_oa":
                    return to_wechat_oauth(here)
                return redirect(f"{up}sign-in?back={quote(here, safe='')}")
            try:
                fields = form(req) if req.method == "POST" else {}
                if req.method == "POST":
                    s.portal.check_csrf(session, fields.get("csrf"))
                return view(Call(req, v, principal, session, fields), **params)
            except MinqingError as exc:
                if isinstance(exc, NotBound):  # not bound yet: binding is the way in, then back here
                    return redirect(f"{up}bind" + (f"?back={quote(here, safe='')}" if here else ""))
                return html(error_shell(v, exc.status, exc.message), exc.status, headers=exc.headers())
        kwargs = {"content_types": FORM} if methods == ["POST"] else {}
        return route(bp, path, methods=methods, **kwargs)(page_view)
    return decorate


@route(bp, "/h5/login")
def oauth_login() -> Response:
    """WeChat's OAuth comes back here with ``code``: open a session for the follower, return to the page."""
    import hmac

    from shared.contract.commands import ChannelLogin
    from shared.pages.h5_layout import error_shell

    req, s = request(bp), services()
    params = req.query_params or {}
    nonce, _, page = (cookie(req, OAUTH) or "").partition(".")
    try:
        if not nonce or not hmac.compare_digest(nonce, params.get("state", "")):
            raise Forbidden("this sign-in did not start in this browser: open the page from WeChat again")
        code = ValidationFailed.check(ChannelLogin, {"code": params.get("code", "")}).code
        token = s.identity.login("wechat_oa", code)
        here = safe_here(bytes.fromhex(page).decode())
    except (MinqingError, ValueError) as exc:
        status, message = (exc.status, exc.message) if isinstance(exc, MinqingError) else (400, str(exc))
        return html(error_shell(visit(req, "", ""), status, message), status, cookies=[lax_cookie(OAUTH, "", 0)])
    return redirect(here or "./", cookies=[lax_cookie(SESSION, token.token, token.expires_in),
                                           lax_cookie(OAUTH, "", 0)])


@route(bp, "/h5/language")
def language() -> Response:
    """Switch the pages' language on this device, back to where the citizen was."""
    params = request(bp).query_params or {}
    lang = params.get("to") if params.get("to") in ("zh-CN", "en") else "zh-CN"
    return redirect(safe_here(params.get("back")) or "./", cookies=[lax_cookie(LANG, lang, YEAR)])


@route(bp, "/h5/access")
def accessible_mode() -> Response:
    """Switch the accessible mode (large text, high contrast) on or off on this device."""
    params = request(bp).query_params or {}
    return redirect(safe_here(params.get("back")) or "./",
                    cookies=[lax_cookie(ACCESS, "1" if params.get("on") == "1" else "0", YEAR)])


@portal(bp, "/h5", signed_in=False)
def home(call: Call) -> Response:
    """The first page: who is signed in, the latest applications, a question box, the way in (``/h5`` goes
    to ``/h5/``: the pages' relative links resolve under it)."""
    from shared.pages.h5_pages import home_page

    if not asked_path(call.req).endswith("/"):
        return redirect("h5/")
    s, me, latest = services(), None, []
    if call.principal is not None:
        try:
            citizen = call.citizen()
            me, latest = s.identity.me(call.principal), s.applications.list_own(citizen, limit=3)
        except NotBound:
            pass
    return html(home_page(call.v, me, latest, item_names(call.v.lang)))


@portal(bp, "/h5/sign-out", methods=["POST"], returns="/h5")
def sign_out(call: Call) -> Response:
    """End the browser session."""
    return redirect("./", cookies=[lax_cookie(SESSION, "", 0)])

