"""督办看板 (``/console/board``): complaints not replied and rectification cases not closed past their due date —
how many per department and tier, how long the oldest has waited, and each item, most overdue first."""

from __future__ import annotations

from html import escape
from typing import Any

from shared.pages.console_admin import admin_nav
from shared.pages.layout import other_language, page, scroll_table, text

TEXTS = {
    "zh-CN": {"title": "督办看板", "summary": "按部门和层级", "items": "逾期事项", "department": "部门", "tier": "层级",
              "complaints": "逾期投诉", "cases": "逾期整改", "oldest": "最长逾期", "kind": "类型", "no": "编号",
              "status": "状态", "area": "乡镇 / 村", "due": "期限", "late": "逾期", "supervised": "已督办",
              "days": "{n} 天", "complaint": "投诉", "case": "差评整改", "yes": "是", "no_": "否", "switch": "English",
              "none": "没有逾期事项。", "county": "县级", "township": "乡镇", "village": "村（社区）",
              "unassigned": "未转办"},
    "en": {"title": "Supervision board", "summary": "By department and tier", "items": "Overdue items",
           "department": "Department", "tier": "Tier", "complaints": "Complaints overdue", "cases": "Cases overdue",
           "oldest": "Longest overdue", "kind": "Kind", "no": "Number", "status": "Status",
           "area": "Township / village", "due": "Due", "late": "Overdue", "supervised": "Supervised (督办)",
           "days": "{n} days", "complaint": "complaint", "case": "rectification case", "yes": "yes", "no_": "no",
           "switch": "中文", "none": "Nothing is overdue.", "county": "County", "township": "Township",
           "village": "Village", "unassigned": "not assigned"},
}


def board_page(lang: str, role: str, items: list[Any]) -> str:
    """The summary per department and tier, then every overdue item with a link to it."""
    t = TEXTS[lang]
    if not items:
        return page(lang, t["title"], f'{admin_nav(lang, "board", role=role)}<p>{t["none"]}</p>',
                    switch=(f"board?lang={other_language(lang)}", t["switch"]))
    groups: dict[tuple[str, str], list[Any]] = {}
    for item in items:
        groups.setdefault((item.department or t["unassigned"], item.tier), []).append(item)
    summary = "".join(
        f'<tr><th scope="row">{text(d)}</th><td>{t[tier]}</td>'
        f'<td>{sum(i.kind == "complaint" for i in group)}</td><td>{sum(i.kind == "case" for i in group)}</td>'
        f'<td>{t["days"].format(n=max(i.days for i in group))}</td></tr>'
        for (d, tier), group in sorted(groups.items(), key=lambda g: -max(i.days for i in g[1])))
    rows = "".join(
        f'<tr><td>{t[i.kind]}</td><td><a href="{"complaints" if i.kind == "complaint" else "cases"}/'
        f'{escape(i.number)}?lang={lang}">{text(i.number)}</a></td><td>{text(i.status)}</td>'
        f'<td>{text(i.department or t["unassigned"])}</td><td>{t[i.tier]}</td>'
        f'<td>{text(" / ".join(x for x in (i.township, i.village) if x) or "—")}</td><td>{i.due.isoformat()}</td>'
        f'<td class="overdue">{t["days"].format(n=i.days)}</td><td>{t["yes"] if i.supervised else t["no_"]}</td></tr>'
        for i in items)
    summary_heads = [t[h] for h in ("department", "tier", "complaints", "cases", "oldest")]
    item_heads = [t[h] for h in ("kind", "no", "status", "department", "tier", "area", "due", "late", "supervised")]
    body = (f'{admin_nav(lang, "board", role=role)}<h2>{t["summary"]}</h2>'
            f'{scroll_table(t["summary"], summary_heads, summary)}'
            f'<h2>{t["items"]}</h2>{scroll_table(t["items"], item_heads, rows)}')
    return page(lang, t["title"], body, switch=(f"board?lang={other_language(lang)}", t["switch"]))
