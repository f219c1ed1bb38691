"""The H5 portal's way in: the first page, signing in by phone, binding one's identity, asking a question."""

from __future__ import annotations

from html import escape
from typing import Any

from shared.contract.vocabulary import status_label
from shared.pages.h5_layout import Visit, shell, token_field
from shared.pages.layout import text


def _input(name: str, label: str, *, kind: str = "text", extra: str = "", value: str = "") -> str:
    """A labelled input (the label names it for screen readers; WCAG 1.3.1, 3.3.2)."""
    shown = f' value="{escape(value)}"' if value else ""
    return (f'<label for="{name}">{label}</label><input id="{name}" name="{name}" type="{kind}"{shown} {extra}>')


def _code(label: str) -> str:
    """The one-time code input (the phone's keypad, the SMS's code offered by the keyboard)."""
    return _input("code", label, extra="inputmode=numeric autocomplete=one-time-code maxlength=6 required")


def ask_form(v: Visit, q: str = "") -> str:
    """The question box (a GET form: works without script, the answer is its own page)."""
    box = _input("q", v.t["ask_label"], kind="search", value=q, extra="maxlength=200 required")
    return (f'<form method="get" action="{v.up}ask" role="search">{box}'
            f'<button type="submit">{v.t["ask_button"]}</button></form>')


def home_page(v: Visit, me: Any, latest: list[Any], names: dict[str, str]) -> str:
    """Welcome, the latest applications of a bound citizen, a question box and the way in."""
    t, up = v.t, v.up
    if me is not None:
        head = f'<p>{escape(t["welcome"].format(name=me.name_masked))}</p>'
        rows = "".join(f'<li><a href="{up}applications/{escape(a.application_no)}">'
                       f'{text(names.get(a.item.code, a.item.name))}</a> — '
                       f'{status_label(a.status, v.lang)}</li>' for a in latest)
        head += (f'<section aria-labelledby="latest"><h2 id="latest">{t["applications"]}</h2>'
                 f'<ul>{rows}</ul></section>' if rows else f'<p>{t["no_applications"]}</p>')
    elif v.signed_in:
        head = f'<p>{t["not_bound"]}</p><p><a href="{up}bind">{t["bind_now"]}</a></p>'
    else:
        head = (f'<p>{t["welcome_guest"]}</p><p><a href="{up}sign-in">{t["sign_in_title"]}</a> · '
                f'<a href="{up}bind">{t["bind_now"]}</a></p>')
    links = "".join(f'<li><a href="{up}{href}">{t[key]}</a></li>' for href, key in
                    (("items", "items"), ("applications", "applications"), ("complaints", "complaints"),
                     ("licences", "licences"), ("me", "me")))
    out = (f'<form method="post" action="{up}sign-out">{token_field(v)}<button class="link">{t["sign_out"]}</button>'
           f'</form>')
    return shell(v, t["brand"] if me is None else t["home"],
                 f'{head}<section aria-labelledby="ask"><h2 id="ask">{t["ask"]}</h2>{ask_form(v)}</section>'
                 f'<nav aria-label="{t["menu"]}"><ul>{links}</ul></nav>{out if v.signed_in else ""}')


def sign_in_page(v: Visit, back: str, phone: str | None, wechat: bool, error: str = "") -> str:
    """Step one: the phone number; step two (``phone`` known): the code sent to it."""
    t, up = v.t, v.up
    keep = f'<input type="hidden" name="back" value="{escape(back)}">'
    if phone is None:
        body = (f'<form method="post" action="{up}sign-in/code">{token_field(v)}{keep}'
                f'{_input("phone", t["phone"], kind="tel", extra="inputmode=numeric autocomplete=tel required")}'
                f'<button type="submit">{t["send_code"]}</button></form>')
    else:
        body = (f'<p role="status">{text(t["code_sent"].format(phone=phone))}</p>'
                f'<form method="post" action="{up}sign-in">{token_field(v)}'
                f'{_code(t["code"])}'
                f'<button type="submit">{t["sign_in"]}</button></form>'
                f'<p><a href="{up}sign-in/restart">{t["other_phone"]}</a></p>')
    hint = "" if wechat else f'<p class="muted">{t["open_in_wechat"]}</p>'
    return shell(v, t["sign_in_title"], body + hint, error=error)


def bind_page(v: Visit, *, with_phone: bool, pending_phone: str | None, me: Any = None, error: str = "",
              back: str = "") -> str:
    """Bind: name, ID number (and phone, unless the session is the phone's); then the code; or who is bound."""
    t, up = v.t, v.up
    if me is not None:
        done = t["bound"].format(name=me.name_masked, id=me.id_number_masked, phone=me.phone_masked)
        return shell(v, t["bind_title"], f'<p class="ok" role="status">{text(done)}</p><p><a href="{v.home}">'
                                         f'{t["back_home"]}</a> · <a href="{up}items">{t["items"]}</a></p>')
    if pending_phone is not None:
        body = (f'<p role="status">{text(t["code_sent"].format(phone=pending_phone))}</p>'
                f'<form method="post" action="{up}bind">{token_field(v)}'
                f'{_code(t["code"])}'
                f'<button type="submit">{t["bind"]}</button></form>'
                f'<form method="post" action="{up}bind/restart">{token_field(v)}'
                f'<button class="link" type="submit">{t["restart_bind"]}</button></form>')
    else:
        phone = _input("phone", t["phone"], kind="tel", extra="inputmode=numeric autocomplete=tel required") \
            if with_phone else ""
        keep = f'<input type="hidden" name="back" value="{escape(back)}">' if back else ""
        body = (f'<p class="muted">{t["bind_hint"]}</p>'
                f'<form method="post" action="{up}bind/start">{token_field(v)}{keep}'
                f'{_input("name", t["name"], extra="autocomplete=name maxlength=40 required")}'
                f'{_input("id_number", t["id_number"], extra="autocomplete=off maxlength=18 required")}{phone}'
                f'<button type="submit">{t["send_code"] if with_phone else t["bind"]}</button></form>')
    return shell(v, t["bind_title"], body, error=error)


def ask_page(v: Visit, q: str, answers: list[Any], error: str = "") -> str:
    """智能问答 as a page: the question and the items that answer it, each linked to its guide."""
    t, up = v.t, v.up
    items = "".join(f'<li class="card"><h2><a href="{up}items/{escape(a.item_code)}">{text(a.name)}</a></h2>'
                    f'<p>{text(a.text)}</p></li>' for a in answers)
    found = f'<ol class="steps">{items}</ol>' if items else (f'<p role="status">{t["ask_none"]}</p>' if q else "")
    return shell(v, t["ask"], ask_form(v, q) + ("" if error else found), error=error)
