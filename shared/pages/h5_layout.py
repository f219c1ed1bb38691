"""The shell of every citizen H5 page: phone-first, no script, one inline style sheet, zh-CN and en, and an
accessible mode (larger text, high contrast, underlined links) a citizen switches on once per device.
https://www.w3.org/TR/WCAG21/ (1.4.3 contrast, 1.4.4 resize text, 1.4.1 use of colour, 2.4.1 bypass blocks)
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from shared.pages.h5_texts import TEXTS
from shared.pages.layout import alert, text

STYLE = """
*{box-sizing:border-box}body{font:17px/1.6 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;
color:#1a1a1a;background:#f5f6f8}header{background:#1d4f91;color:#fff;padding:.5rem 1rem}
header a{color:#fff}header p{margin:.25rem 0;font-weight:700}nav ul{list-style:none;margin:0;padding:0;
display:flex;flex-wrap:wrap;gap:.25rem 1rem}h1{overflow-wrap:anywhere}
[aria-current]{font-weight:700;text-decoration:underline}
main{max-width:40rem;margin:0 auto;padding:.5rem 1rem 2rem}
a{color:#0b57d0}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #b3261e;
outline-offset:2px}.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;
color:#000;padding:.5rem}section,.card{background:#fff;border-radius:8px;padding:.5rem 1rem;margin:.75rem 0}
label,legend{display:block;margin-top:1rem;font-weight:600}input,select,textarea{font:inherit;width:100%;
padding:.6rem;border:1px solid #555;border-radius:6px;background:#fff}fieldset{border:0;padding:0;margin:0}
input[type=radio],input[type=checkbox]{width:auto;margin-right:.5rem}.choice{font-weight:400;margin-top:.5rem}
button{font:inherit;margin-top:1rem;padding:.7rem 1.5rem;min-height:44px;border:0;border-radius:6px;
background:#1d4f91;color:#fff;width:100%}.link{background:none;color:#0b57d0;padding:0;width:auto;
text-decoration:underline;min-height:auto}.error{border-left:4px solid #b3261e;background:#fdecea;
padding:.5rem 1rem}.ok{border-left:4px solid #1e6b35;background:#e8f3eb;padding:.5rem 1rem}
ol.steps{padding-left:1.25rem}.muted{color:#4a4a4a}.tools{display:flex;gap:1rem;flex-wrap:wrap;font-size:.9em}
.a11y body{font-size:22px;color:#000;background:#fff}.a11y a{color:#00e;text-decoration:underline}
.a11y header{background:#000}.a11y header a{color:#ff0}.a11y button{background:#000;border:2px solid #000}
.a11y .muted{color:#000}.a11y section,.a11y .card{border:2px solid #000}
.a11y .link{background:none;color:#00e;border:0}
"""


@dataclass(frozen=True)
class Visit:
    """Who is looking and how: language, accessible mode, the way back to ``/h5/``, the form token."""

    lang: str
    accessible: bool
    up: str           # relative path from this page to /h5/ (``""`` or ``../``…)
    here: str         # this page's path under /h5/, for the language and mode switches to come back to
    csrf: str = ""
    signed_in: bool = False

    @property
    def home(self) -> str:
        """The link to ``/h5/`` from this page (``./`` at the first level: an empty href is the page itself)."""
        return self.up or "./"

    @property
    def t(self) -> dict[str, str]:
        """This visit's texts."""
        return TEXTS[self.lang]


def token_field(v: Visit) -> str:
    """The hidden CSRF field every form carries."""
    return f'<input type="hidden" name="csrf" value="{escape(v.csrf)}">'


def shell(v: Visit, title: str, body: str, *, error: str = "", notice: str = "") -> str:
    """A whole page: skip link, header with the menu and the language/mode switches, then ``body``."""
    t, up = v.t, v.up
    other = "en" if v.lang == "zh-CN" else "zh-CN"
    back = escape(v.here, quote=True)
    menu = [("./" if not up else "", t["home"]), ("items", t["items"]), ("applications", t["applications"]),
            ("complaints", t["complaints"]), ("licences", t["licences"]), ("me", t["me"])]
    links = "".join(f'<li><a href="{up}{href}"{_current(v.here, href.strip("./"))}>{label}</a></li>'
                    for href, label in menu)
    mode = t["access_off"] if v.accessible else t["access_on"]
    tools = (f'<div class="tools"><a href="{up}language?to={other}&amp;back={back}" lang="{other}" '
             f'hreflang="{other}">{t["switch"]}</a><a href="{up}access?on={0 if v.accessible else 1}&amp;back={back}">'
             f'{mode}</a></div>')
    flash = (alert(error) if error else "") + (f'<p class="ok" role="status">{text(notice)}</p>' if notice else "")
    return (f'<!doctype html><html lang="{v.lang}"{" class=a11y" if v.accessible else ""}><head>'
            f'<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<title>{escape(title)} - {t["brand"]}</title><style>{STYLE}</style></head><body>'
            f'<a class="skip" href="#main">{t["skip"]}</a><header><p>{t["brand"]}</p>'
            f'<nav aria-label="{t["menu"]}"><ul>{links}</ul></nav>{tools}</header>'
            f'<main id="main"><h1>{escape(title)}</h1>{flash}{body}</main></body></html>')


def _current(here: str, href: str) -> str:
    section = here.split("/")[0].split("?")[0]
    return ' aria-current="page"' if section == href else ""


def said(v: Visit, exc: object, fields: dict[str, str] | None = None, context: str = "") -> str:
    """Why a form was refused, in the page's language: each refused field by its label (the item's own
    labels in ``fields``), else the kind of refusal (``context`` picks a form's own wording, e.g. ``bind``)."""
    t = v.t
    details = getattr(exc, "details", None) or []
    if details:
        def label(field: str) -> str:
            return (fields or {}).get(field) or t.get("f_" + field.split(".")[-1]) or t["a_field"]
        return " ".join(dict.fromkeys(t["field_wrong"].format(field=label(str(d.get("field", "")))) for d in details))
    code, status = getattr(exc, "code", ""), getattr(exc, "status", 400)
    return t.get(f"c_{context}_{code}") or t.get(f"c_{code}") or t.get(f"e{status}") or t["error_title"]


def error_shell(v: Visit, status: int, message: str) -> str:
    """What a citizen sees when a page refuses them: why in their language (the detail in English pages too),
    and the way home."""
    said = v.t.get(f"e{status}", v.t["error_title"])
    detail = f'<p class="muted">{text(message)}</p>' if v.lang == "en" and message else ""
    return shell(v, v.t["error_title"], f'<p role="alert">{said}</p>{detail}'
                                        f'<p><a href="{v.home}">{v.t["back_home"]}</a></p>')
