"""服务事项 (``/console/catalogue``, read only): the items citizens can apply for, by tier, with their department,
time limit and form fields, and the county's townships and villages."""

from __future__ import annotations

from typing import Any

from shared.pages.console_admin import admin_nav
from shared.pages.layout import other_language, page, scroll_table, text

TEXTS = {
    "zh-CN": {"title": "服务事项", "code": "事项编码", "name": "名称", "department": "部门", "days": "承诺时限",
              "fields": "申请表项", "county": "县级事项", "township": "乡镇事项", "village": "村（社区）事项",
              "areas": "乡镇与村（社区）", "town": "乡镇（街道）", "villages": "村（社区）", "n": "{n} 个工作日",
              "required": "必填", "switch": "English"},
    "en": {"title": "Service catalogue", "code": "Code", "name": "Name", "department": "Department",
           "days": "Time limit", "fields": "Form fields", "county": "County services", "township": "Township services",
           "village": "Village services", "areas": "Townships and villages", "town": "Township",
           "villages": "Villages", "n": "{n} working days", "required": "required", "switch": "中文"},
}


def catalogue_page(lang: str, role: str, items: list[Any], areas: dict[str, list[str]]) -> str:
    """One table per tier, then the areas."""
    t = TEXTS[lang]
    sections = []
    for tier in ("county", "township", "village"):
        rows = "".join(
            f"<tr><td>{text(i.code)}</td><td>{text(i.name)}</td><td>{text(i.department)}</td>"
            f"<td>{t['n'].format(n=i.promised_days)}</td><td>"
            + "、".join(text(f.label) + (f" ({t['required']})" if f.required else "") for f in i.fields)
            + "</td></tr>" for i in items if i.tier.value == tier)
        heads = [t[h] for h in ("code", "name", "department", "days", "fields")]
        sections.append(f"<h2>{t[tier]}</h2>{scroll_table(t[tier], heads, rows)}")
    area_rows = "".join(f"<tr><td>{text(town)}</td><td>{text('、'.join(villages))}</td></tr>"
                        for town, villages in areas.items())
    body = (f'{admin_nav(lang, "catalogue", role=role)}{"".join(sections)}<h2>{t["areas"]}</h2>'
            f'{scroll_table(t["areas"], [t["town"], t["villages"]], area_rows)}')
    return page(lang, t["title"], body, switch=(f"catalogue?lang={other_language(lang)}", t["switch"]))
