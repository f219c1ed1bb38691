"""两步验证 (``/console/two-step``): a staff member turns on sign-in codes from an authenticator app (TOTP), or
off again; the secret is shown as text to type into the app (and as an ``otpauth://`` link on a phone)."""

from __future__ import annotations

from html import escape

from shared.pages.console_admin import admin_nav
from shared.pages.layout import alert, other_language, page

TEXTS = {
    "zh-CN": {"title": "两步验证", "on": "两步验证已开启：登录时需要输入验证器应用中的动态验证码。",
              "off": "两步验证未开启。开启后，登录时除密码外还需输入手机验证器应用（如腾讯身份验证器）"
                     "中的 6 位动态码。",
              "step1": "1. 在验证器应用中添加账号，输入以下密钥（基于时间）：", "link": "在本机验证器中打开",
              "step2": "2. 输入应用显示的 6 位动态码：", "code": "动态验证码", "enable": "开启两步验证",
              "disable": "关闭两步验证", "done_on": "已开启两步验证。", "done_off": "已关闭两步验证。",
              "switch": "English"},
    "en": {"title": "Two-step sign-in", "on": "Two-step sign-in is on: signing in asks for a code from your "
                                              "authenticator app.",
           "off": "Two-step sign-in is off. Once on, signing in asks for the 6-digit code of an authenticator app on "
                  "your phone as well as the password.",
           "step1": "1. Add an account in the authenticator app with this key (time-based):",
           "link": "Open in an authenticator on this device", "step2": "2. Enter the 6-digit code the app shows:",
           "code": "One-time code", "enable": "Turn on two-step sign-in", "disable": "Turn off two-step sign-in",
           "done_on": "Two-step sign-in is on.", "done_off": "Two-step sign-in is off.", "switch": "中文"},
}


def two_step_page(lang: str, csrf: str, role: str, enabled: bool, offer: tuple[str, str, str] | None, *,
                  error: str = "", done: str = "") -> str:
    """The state, and the form that changes it."""
    t = TEXTS[lang]
    notice = (alert(error) if error else
              f'<p role="status">{t[done]}</p>' if done else "")
    hidden = f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
    code = (f'<label for="code">{t["code"]}</label><input id="code" name="code" inputmode="numeric" '
            f'autocomplete="one-time-code" maxlength="8" required style="max-width:10rem">')
    if enabled:
        form = (f'<p>{t["on"]}</p><form method="post" action="two-step?lang={lang}">{hidden}'
                f'<input type="hidden" name="turn" value="off">{code}<button type="submit">{t["disable"]}</button>'
                f"</form>")
    else:
        secret, uri, sealed = offer or ("", "", "")
        grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
        form = (f'<p>{t["off"]}</p><p>{t["step1"]}</p><pre tabindex="0">{escape(grouped)}</pre>'
                f'<p><a href="{escape(uri)}">{t["link"]}</a></p><p>{t["step2"]}</p>'
                f'<form method="post" action="two-step?lang={lang}">{hidden}<input type="hidden" name="turn" '
                f'value="on"><input type="hidden" name="offer" value="{escape(sealed)}">{code}'
                f'<button type="submit">{t["enable"]}</button></form>')
    return page(lang, t["title"], f'{admin_nav(lang, "two-step", role=role)}{notice}{form}',
                switch=(f"two-step?lang={other_language(lang)}", t["switch"]))
