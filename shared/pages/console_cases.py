"""One rectification case (差评整改) in the console: the bad rating behind it, where it stands, its timeline and
the forms of its next steps (open → verified → rectified → followed_up, or open → dismissed)."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from shared.pages.console import TEXTS as QUEUE_TEXTS
from shared.pages.console import due_text
from shared.pages.console_admin import admin_nav
from shared.pages.layout import alert, other_language, page, text, timeline

TEXTS = {
    "zh-CN": {"title": "差评整改 {id}", "application": "办件", "level": "评价等级", "department": "部门",
              "area": "乡镇 / 村", "status": "状态", "due": "整改期限", "timeline": "办理过程", "note": "说明",
              "open": "待核实", "verified": "已核实", "rectified": "已整改", "followed_up": "已回访",
              "dismissed": "核实不实", "to_verified": "确认属实", "to_rectified": "记录整改结果",
              "to_followed_up": "记录回访", "to_dismissed": "核实不实，不予整改", "supervised": "已督办",
              "county": "—", "switch": "English", "done": "本案已结束。"},
    "en": {"title": "Rectification case {id}", "application": "Application", "level": "Rating",
           "department": "Department", "area": "Township / village", "status": "Status", "due": "Due",
           "timeline": "Timeline", "note": "Notes", "open": "Open", "verified": "Verified", "rectified": "Rectified",
           "followed_up": "Followed up", "dismissed": "Dismissed (not substantiated)",
           "to_verified": "Confirm it is substantiated", "to_rectified": "Record the rectification",
           "to_followed_up": "Record the follow-up call", "to_dismissed": "Dismiss: not substantiated",
           "supervised": "Under supervision (督办)", "county": "—", "switch": "中文", "done": "This case is closed."},
}
NEXT = {"open": ("verified", "dismissed"), "verified": ("rectified",), "rectified": ("followed_up",)}


def case_page(lang: str, csrf: str, c: Any, today: date, role: str, *, error: str = "") -> str:
    """The case and a form per step it can take next (each with its own notes field)."""
    t = TEXTS[lang]
    steps = timeline(c.timeline, t)
    refused = alert(error)
    forms = "".join(
        f'<form method="post" action="{escape(c.case_id)}?lang={lang}">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}"><input type="hidden" name="status" value="{step}">'
        f'<label for="note-{step}">{t["note"]}</label><input id="note-{step}" name="note" maxlength="500"'
        f'{" required" if step != "followed_up" else ""}>'
        f'<button type="submit">{t["to_" + step]}</button></form>' for step in NEXT.get(c.status, ())) \
        or f"<p>{t['done']}</p>"
    area = " / ".join(x for x in (c.township, c.village) if x) or t["county"]
    supervised = f'<p class="overdue">{t["supervised"]}</p>' if c.supervised else ""
    due = due_text(c.due, today, QUEUE_TEXTS[lang])
    body = (f'{admin_nav(lang, "", "../", role)}{refused}{supervised}<dl>'
            f'<dt>{t["status"]}</dt><dd>{t.get(c.status, text(c.status))}</dd>'
            f'<dt>{t["application"]}</dt><dd>{text(c.application_no)}</dd>'
            f'<dt>{t["level"]}</dt><dd>{text(c.level)}</dd>'
            f'<dt>{t["department"]}</dt><dd>{text(c.department or "—")}</dd>'
            f'<dt>{t["area"]}</dt><dd>{text(area)}</dd><dt>{t["due"]}</dt><dd>{due}</dd></dl>'
            f'<h2>{t["timeline"]}</h2><ol>{steps}</ol>{forms}')
    return page(lang, t["title"].format(id=c.case_id), body,
                switch=(f"{escape(c.case_id)}?lang={other_language(lang)}", t["switch"]))
