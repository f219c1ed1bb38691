"""The console's pages: sign-in and the work queue (open complaints and rectification cases, overdue
first). More pages (complaint, cases, supervision board, notice log, report) build on the same shell."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any
from urllib.parse import quote

from shared.pages.layout import alert, other_language, page, scroll_table, text, timeline

TEXTS: dict[str, dict[str, str]] = {
    "zh-CN": {"complaint": "投诉 {no}", "timeline": "办理过程", "reply": "答复", "note": "回访记录",
              "assign": "转办", "do_reply": "答复群众", "follow_up": "记录回访", "close": "办结", "back": "返回待办",
              "registered": "已登记", "assigned": "已转办", "replied": "已答复", "followed_up": "已回访",
              "closed": "已办结",
              "sign_in_title": "登录运营台", "username": "用户名", "password": "密码", "sign_in": "登录",
              "code": "动态验证码（已开启两步验证时填写）",
              "sign_out": "退出登录", "queue": "我的待办", "complaints": "投诉", "cases": "差评整改",
              "no": "编号", "content": "内容", "department": "部门", "status": "状态", "due": "办理期限",
              "application": "办件", "level": "评价", "overdue": "已超期 {n} 天", "on_time": "剩余 {n} 天",
              "none": "暂无待办。", "next": "下一页", "signed_in_as": "当前用户：", "switch": "English",
              "unassigned": "未转办"},
    "en": {"complaint": "Complaint {no}", "timeline": "Timeline", "reply": "Reply", "note": "Follow-up call notes",
           "assign": "Assign", "do_reply": "Reply to the citizen", "follow_up": "Record the follow-up call",
           "close": "Close", "back": "Back to the queue", "registered": "Registered", "assigned": "Assigned",
           "replied": "Replied", "followed_up": "Followed up", "closed": "Closed",
           "sign_in_title": "Sign in to the console", "username": "Username", "password": "Password",
           "code": "One-time code (if two-step sign-in is on)",
           "sign_in": "Sign in", "sign_out": "Sign out", "queue": "My work queue", "complaints": "Complaints",
           "cases": "Rectification cases", "no": "Number", "content": "Content", "department": "Department",
           "status": "Status", "due": "Due", "application": "Application", "level": "Rating",
           "overdue": "{n} days overdue", "on_time": "{n} days left", "none": "Nothing open.", "next": "Next page",
           "signed_in_as": "Signed in as ", "switch": "中文", "unassigned": "not assigned"},
}


def sign_in_page(lang: str, csrf: str, *, error: str = "", username: str = "") -> str:
    """The sign-in form (a failed try shows why, above the form, and keeps the username)."""
    t = TEXTS[lang]
    refused = alert(error)
    form = (f'{refused}<form method="post" action="login?lang={lang}">'
            f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
            f'<label for="username">{t["username"]}</label>'
            f'<input id="username" name="username" autocomplete="username" required value="{escape(username)}">'
            f'<label for="password">{t["password"]}</label>'
            f'<input id="password" name="password" type="password" autocomplete="current-password" required>'
            f'<label for="code">{t["code"]}</label><input id="code" name="code" inputmode="numeric" '
            f'autocomplete="one-time-code" maxlength="8" style="max-width:10rem">'
            f'<button type="submit">{t["sign_in"]}</button></form>')
    return page(lang, t["sign_in_title"], form, switch=(f"login?lang={other_language(lang)}", t["switch"]))


def queue_page(lang: str, who: Any, csrf: str, work: Any, today: date) -> str:
    """The signed-in person's open complaints and cases, most overdue first, a page of each at a time."""
    t = TEXTS[lang]
    complaints, cases = work.complaints, work.cases
    rows = "".join(
        f'<tr><td><a href="complaints/{escape(c.complaint_no)}?lang={lang}">{text(c.complaint_no)}</a></td>'
        f"<td>{text(c.content[:40])}</td>"
        f"<td>{text(c.department or t['unassigned'])}</td><td>{text(c.status)}</td>{_due(c.due, today, t)}</tr>"
        for c in sorted(complaints, key=lambda c: c.due))
    case_rows = "".join(
        f'<tr><td><a href="cases/{escape(c.case_id)}?lang={lang}">{text(c.case_id)}</a></td>'
        f"<td>{text(c.application_no)}</td><td>{text(c.level)}</td>"
        f"<td>{text(c.status)}</td>{_due(c.due, today, t)}</tr>" for c in sorted(cases, key=lambda c: c.due))
    from shared.pages.console_admin import admin_nav

    links = admin_nav(lang, "./", role=who.role)
    more = "".join(f'<p><a href="?{name}={quote(cursor)}&amp;lang={lang}">{t["next"]} · {t[label]}</a></p>'
                   for name, cursor, label in (("complaints_after", work.complaints_next, "complaints"),
                                               ("cases_after", work.cases_next, "cases")) if cursor)
    body = links + (_table(t["complaints"], [t["no"], t["content"], t["department"], t["status"], t["due"]], rows, t)
            + _table(t["cases"], [t["no"], t["application"], t["level"], t["status"], t["due"]], case_rows, t)
            + more)
    nav = (f'{t["signed_in_as"]}{text(who.display_name)} '
           f'<form method="post" action="logout" style="display:inline">'
           f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
           f'<button type="submit" class="link">{t["sign_out"]}</button></form>')
    return page(lang, t["queue"], body, nav=nav, switch=(f"?lang={other_language(lang)}", t["switch"]))


def _table(caption: str, heads: list[str], rows: str, t: dict[str, str]) -> str:
    if not rows:
        return f"<h2>{caption}</h2><p>{t['none']}</p>"
    return f"<h2>{caption}</h2>{scroll_table(caption, heads, rows)}"


def _due(due: date, today: date, t: dict[str, str]) -> str:
    overdue = ' class="overdue"' if due < today else ""
    return f"<td{overdue}>{due_text(due, today, t)}</td>"


def due_text(due: date, today: date, t: dict[str, str]) -> str:
    """``due`` with how many days are left, or how many it is overdue."""
    days = (due - today).days
    return f"{due.isoformat()} ({t['overdue'].format(n=-days) if days < 0 else t['on_time'].format(n=days)})"




NEXT = {"registered": ("assigned", "assign", "department"), "assigned": ("replied", "do_reply", "reply"),
        "replied": ("followed_up", "follow_up", "note"), "followed_up": ("closed", "close", "")}


def complaint_page(lang: str, csrf: str, c: Any, today: date, *, error: str = "", admin: bool = False) -> str:
    """One complaint: what was said, where it stands, its timeline, and the form of its next step."""
    from shared.pages.console_admin import admin_nav

    t = TEXTS[lang]
    steps = timeline(c.timeline, t)
    refused = alert(error)
    form = ""
    if c.status in NEXT:
        status, label, field = NEXT[c.status]
        input_html = ""
        if field == "reply":
            input_html = (f'<label for="reply">{t["reply"]}</label><textarea id="reply" name="reply" rows="4" '
                          'required maxlength="2000" style="width:100%;max-width:40rem;font:inherit"></textarea>')
        elif field:
            input_html = f'<label for="{field}">{t[field]}</label><input id="{field}" name="{field}" required>'
        form = (f'<form method="post" action="{escape(c.complaint_no)}?lang={lang}">'
                f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
                f'<input type="hidden" name="status" value="{status}">{input_html}'
                f'<button type="submit">{t[label]}</button></form>')
    nav = admin_nav(lang, "", "../", "county_admin" if admin else "")
    reply = f'<dt>{t["reply"]}</dt><dd>{text(c.reply)}</dd>' if c.reply else ""
    body = (f'{nav}{refused}<dl><dt>{t["status"]}</dt><dd>{t.get(c.status, text(c.status))}</dd>'
            f'<dt>{t["department"]}</dt><dd>{text(c.department or t["unassigned"])}</dd>'
            f'<dt>{t["due"]}</dt><dd>{due_text(c.due, today, t)}</dd>'
            f'<dt>{t["content"]}</dt><dd>{text(c.content)}</dd>{reply}</dl>'
            f'<h2>{t["timeline"]}</h2><ol>{steps}</ol>{form}')
    return page(lang, t["complaint"].format(no=c.complaint_no), body,
                switch=(f"{escape(c.complaint_no)}?lang={other_language(lang)}", t["switch"]))
