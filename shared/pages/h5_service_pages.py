"""The H5 service guide (办事指南): the catalogue by tier and department, one item's guide, its apply form."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from shared.pages.h5_layout import Visit, shell, token_field
from shared.pages.layout import text
from shared.personal_data import mask_personal

TIERS = ("county", "township", "village")


def items_page(v: Visit, items: list[Any], tier: str) -> str:
    """Every item of a tier (or all), grouped by department, each linked to its guide."""
    t, up = v.t, v.up
    tabs = "".join(f'<li><a href="{up}items{"?tier=" + k if k else ""}"{" aria-current=true" if k == tier else ""}>'
                   f'{t["tier_" + k] if k else t["all_tiers"]}</a></li>' for k in ("", *TIERS))
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in sorted(items, key=lambda i: TIERS.index(i.tier)):
        if not tier or item.tier == tier:
            groups[item.department].append(item)
    sections = "".join(
        f'<section><h2>{text(dept)}</h2><ul>' + "".join(
            f'<li><a href="{up}items/{escape(i.code)}">{text(i.name if v.lang == "zh-CN" else i.name_en or i.name)}</a>'
            f'{" · " + t["online"] if i.online else ""}</li>' for i in group) + "</ul></section>"
        for dept, group in groups.items())
    return shell(v, t["items"], f'<nav aria-label="{t["items"]}"><ul class="tools">{tabs}</ul></nav>{sections}')


def item_page(v: Visit, item: Any) -> str:
    """One item's guide: what to bring, where, when, what it costs, how long, and the way to apply."""
    t, up = v.t, v.up
    name = item.name if v.lang == "zh-CN" else f"{item.name_en or item.name}（{item.name}）"
    materials = "".join(f"<li>{text(m)}</li>" for m in item.materials)
    def days(n: int) -> str:
        """``n`` working days, in words the language gets right for one."""
        return t["day"] if n == 1 else t["days"].format(n=n)

    legal = f'<dt>{t["legal"]}</dt><dd>{days(item.legal_days)}</dd>' if item.legal_days else ""
    facts = (f'<dl><dt>{t["department"]}</dt><dd>{text(item.department)}</dd>'
             f'<dt>{t["location"]}</dt><dd>{text(item.location)}</dd><dt>{t["hours"]}</dt><dd>{text(item.hours)}</dd>'
             f'<dt>{t["fee"]}</dt><dd>{text(item.fee)}</dd>'
             f'<dt>{t["promised"]}</dt><dd>{days(item.promised_days)}</dd>{legal}</dl>')
    how = t["online"] if item.online else t["offline"]
    return shell(v, name, f'<p>{text(item.description)}</p><section><h2>{t["materials"]}</h2><ol>{materials}</ol>'
                          f'</section><section>{facts}<p>{how}</p></section>'
                          f'<p><a href="{up}apply/{escape(item.code)}">{t["apply"]}</a></p>')


def apply_page(v: Visit, item: Any, areas: dict[str, list[str]], request_id: str, values: dict[str, str],
               error: str = "") -> str:
    """The item's own form fields, and where (township, village) for a township or village service."""
    t, up = v.t, v.up
    inputs = ""
    for f in item.fields:
        mark = t["required"] if f.required else ""
        req = " required" if f.required else ""
        typed = _typed_again(values.get("form." + f.name, ""))
        inputs += (f'<label for="f_{escape(f.name)}">{text(f.label)}{mark}</label><input id="f_{escape(f.name)}" '
                   f'name="form.{escape(f.name)}" maxlength="2000"{req} value="{typed}">')
    if item.tier == "township":
        inputs += _choice("township", t["township"], list(areas), values.get("township", ""), t["choose"])
    elif item.tier == "village":
        villages = [f"{town} / {vil}" for town, vs in areas.items() for vil in vs]
        inputs += _choice("place", t["village"], villages, values.get("place", ""), t["choose"])
    body = (f'<form method="post" action="{up}apply/{escape(item.code)}">{token_field(v)}'
            f'<input type="hidden" name="request_id" value="{escape(request_id)}">{inputs}'
            f'<button type="submit">{t["submit"]}</button></form>')
    return shell(v, t["apply_title"].format(name=item.name if v.lang == "zh-CN" else item.name_en or item.name),
                 body, error=error)


def _typed_again(value: str) -> str:
    """A refused form's value shown again, unless it holds an ID number or phone: those are never written into a
    page (and a masked one sent back would be saved masked), so that field is asked for again."""
    return escape(value) if mask_personal(value) == value else ""


def _choice(name: str, label: str, options: list[str], chosen: str, prompt: str) -> str:
    """A required choice among ``options`` (a township, or ``township / village``)."""
    opts = "".join(f'<option{" selected" if o == chosen else ""}>{text(o)}</option>' for o in options)
    return (f'<label for="{name}">{label}</label><select id="{name}" name="{name}" required>'
            f'<option value="">{prompt}</option>{opts}</select>')
