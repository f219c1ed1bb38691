"""The page shell every console page shares: language, landmarks, skip link, one inline style sheet.
https://www.w3.org/TR/WCAG21/
"""

from __future__ import annotations

from html import escape

from shared.personal_data import mask_personal

STYLE = """
body{font:16px/1.6 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;color:#1a1a1a;background:#fff}
header,main,footer{max-width:64rem;margin:0 auto;padding:0 1rem}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;
border-bottom:2px solid #1d4f91}
a{color:#0b57d0}a:focus,button:focus,input:focus{outline:3px solid #b3261e;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
label{display:block;margin-top:1rem;font-weight:600}
input{font:inherit;padding:.5rem;border:1px solid #555;border-radius:4px;width:100%;max-width:24rem;
box-sizing:border-box}
button{font:inherit;margin-top:1rem;padding:.5rem 1.25rem;border:0;border-radius:4px;background:#1d4f91;
color:#fff;cursor:pointer}
.link{background:none;color:#0b57d0;padding:0;margin:0;text-decoration:underline}
.error{border-left:4px solid #b3261e;background:#fdecea;padding:.5rem 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #767676;padding:.3rem .5rem;text-align:left}
th{background:#eee;white-space:nowrap}.scroll{overflow-x:auto}.overdue{font-weight:700;color:#8c1d18}
"""


def page(lang: str, title: str, body: str, *, nav: str = "", switch: tuple[str, str] = ("", "")) -> str:
    """A whole document: ``body`` inside ``<main>``, ``nav`` in the header, a link to the other language."""
    href, label = switch
    other = other_language(lang)
    switch_html = f'<a href="{escape(href)}" lang="{other}" hreflang="{other}">{escape(label)}</a>' if href else ""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
            f'<style>{STYLE}</style></head><body><a class="skip" href="#main">'
            f'{"跳到正文" if lang == "zh-CN" else "Skip to content"}</a>'
            f'<header><p><strong>{"民情直通车 运营台" if lang == "zh-CN" else "Minqing console"}</strong></p>'
            f'<nav aria-label="{"账号" if lang == "zh-CN" else "Account"}">{nav} {switch_html}</nav></header>'
            f'<main id="main"><h1>{escape(title)}</h1>{body}</main></body></html>')


def other_language(lang: str) -> str:
    """The language a page's switch leads to."""
    return "en" if lang == "zh-CN" else "zh-CN"


def scroll_table(label: str, heads: list[str], rows: str) -> str:
    """A table that scrolls in place on a narrow screen: a named region the keyboard can reach (WCAG 2.1.1)."""
    cols = "".join(f'<th scope="col">{h}</th>' for h in heads)
    return (f'<div class="scroll" tabindex="0" role="region" aria-label="{escape(label)}"><table><thead><tr>{cols}'
            f"</tr></thead><tbody>{rows}</tbody></table></div>")


def refusal(exc: object) -> str:
    """What a refused form says: each field with why, else the error's message."""
    details = getattr(exc, "details", None) or []
    return "; ".join(f"{d.get('field')}: {d.get('message')}" for d in details) or str(getattr(exc, "message", exc))


def alert(error: str) -> str:
    """Why a form or page was refused, announced to screen readers (empty when nothing was)."""
    return f'<p class="error" role="alert">{text(error)}</p>' if error else ""


def timeline(entries: list[object], labels: dict[str, str]) -> str:
    """A record's steps as list items: when, what (``labels`` names the statuses), and the note."""
    return "".join(f"<li>{e.at.isoformat(timespec='minutes')} {labels.get(e.status, text(e.status))}"  # type: ignore[attr-defined]
                   f"{' — ' + text(e.note) if e.note else ''}</li>" for e in entries)  # type: ignore[attr-defined]


def text(value: object) -> str:
    """Escaped, with ID numbers and mobiles masked: the one way a value reaches a page."""
    return escape(mask_personal(str(value)))


TITLES = {"zh-CN": {403: "没有权限", 404: "没有找到", 400: "请求有误"}, "en": {403: "Not allowed", 404: "Not found",
                                                                        400: "Bad request"}}


def error_page(lang: str, status: int, message: str, base: str = "") -> str:
    """What a person sees when a console page refuses them (``base`` climbs back to ``/console/``)."""
    back = "返回待办" if lang == "zh-CN" else "Back to the queue"
    title = TITLES[lang].get(status, TITLES[lang][400])
    return page(lang, title, f'<p role="alert">{text(message)}</p><p><a href="{escape(base)}./">{back}</a></p>')
