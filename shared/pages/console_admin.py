"""The administrator's console pages: staff accounts (list, create) and the audit log (read only)."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from shared.pages.layout import alert, other_language, page, scroll_table, text

ROLES = {"zh-CN": {"county_admin": "县级管理员", "department_handler": "部门办理人员", "township_staff": "乡镇工作人员",
                   "village_staff": "村（社区）工作人员"},
         "en": {"county_admin": "County administrator", "department_handler": "Department handler",
                "township_staff": "Township staff", "village_staff": "Village staff"}}
TEXTS = {
    "zh-CN": {"staff": "工作人员账号", "audit": "审计日志", "username": "用户名", "name": "姓名", "role": "角色",
              "department": "部门", "township": "乡镇（街道）", "village": "村（社区）",
              "password": "初始密码（至少 12 位）",
              "create": "新建账号", "add": "新建", "scope": "范围", "next": "下一页", "at": "时间", "actor": "操作人",
              "action": "操作", "target": "对象", "source": "来源", "before": "变更前", "after": "变更后",
              "month": "月份", "show": "查看",
              "created": "已新建账号 {u}。", "forbidden": "没有权限", "queue": "我的待办", "switch": "English"},
    "en": {"staff": "Staff accounts", "audit": "Audit log", "username": "Username", "name": "Name", "role": "Role",
           "department": "Department", "township": "Township", "village": "Village",
           "password": "First password (12 characters or more)", "create": "New account", "add": "Create",
           "scope": "Scope", "next": "Next page", "at": "At", "actor": "By", "action": "Action", "target": "On",
           "source": "From", "before": "Before", "after": "After", "month": "Month", "show": "Show",
           "created": "Account {u} created.",
           "forbidden": "Not allowed", "queue": "My work queue", "switch": "中文"},
}


NAV = {"zh-CN": {"./": "我的待办", "board": "督办看板", "report": "运营报告", "catalogue": "服务事项",
                 "notices": "通知记录", "keys": "系统密钥", "staff": "工作人员账号", "audit": "审计日志",
                 "two-step": "两步验证"},
       "en": {"./": "My work queue", "board": "Supervision board", "report": "Operations report",
              "catalogue": "Service catalogue", "notices": "Notice log", "keys": "System keys",
              "staff": "Staff accounts", "audit": "Audit log", "two-step": "Two-step sign-in"}}
ADMIN_ONLY = frozenset({"notices", "keys", "staff", "audit"})


def admin_nav(lang: str, here: str, base: str = "", role: str = "county_admin") -> str:
    """Links between the console's pages that ``role`` may open (the current one marked for screen readers);
    ``base`` climbs back to ``/console/`` from a deeper page."""
    current = ' aria-current="page"'
    return " · ".join(f'<a href="{base}{href}"{current if href == here else ""}>{label}</a>'
                      for href, label in NAV[lang].items() if role == "county_admin" or href not in ADMIN_ONLY)


def staff_page(lang: str, csrf: str, accounts: list[Any], cursor: str | None, *, error: str = "",
               created: str = "", values: dict[str, str] | None = None) -> str:
    """Accounts a page at a time, and the form that creates one."""
    t, v = TEXTS[lang], values or {}
    rows = "".join(f"<tr><td>{text(a.username)}</td><td>{text(a.display_name)}</td><td>{ROLES[lang][a.role]}</td>"
                   f"<td>{text(' / '.join(x for x in (a.department, a.township, a.village) if x))}</td></tr>"
                   for a in accounts)
    more = f'<p><a href="staff?after={quote(cursor)}&amp;lang={lang}">{t["next"]}</a></p>' if cursor else ""
    notice = (alert(error) if error else
              f'<p role="status">{text(t["created"].format(u=created))}</p>' if created else "")
    options = "".join(f'<option value="{r}"{" selected" if v.get("role") == r else ""}>{label}</option>'
                      for r, label in ROLES[lang].items())
    fields = "".join(f'<label for="{f}">{t[f]}</label><input id="{f}" name="{f}" value="{escape(v.get(f, ""))}"'
                     f'{" required" if f in ("username", "name") else ""}>'
                     for f in ("username", "name", "department", "township", "village"))
    body = (f'{admin_nav(lang, "staff")}{notice}'
            f'{scroll_table(t["staff"], [t["username"], t["name"], t["role"], t["scope"]], rows)}{more}'
            f'<h2>{t["create"]}</h2><form method="post" action="staff?lang={lang}">'
            f'<input type="hidden" name="csrf" value="{escape(csrf)}">{fields}'
            f'<label for="role">{t["role"]}</label><select id="role" name="role">{options}</select>'
            f'<label for="password">{t["password"]}</label><input id="password" name="password" type="password" '
            f'autocomplete="new-password" required minlength="12"><button type="submit">{t["add"]}</button></form>')
    return page(lang, t["staff"], body, switch=(f"staff?lang={other_language(lang)}", t["switch"]))


def audit_page(lang: str, month: str, entries: list[Any], cursor: str | None,
               filters: dict[str, str] | None = None) -> str:
    """One month of the audit log, newest first, a page at a time, filtered by who and what when asked."""
    t, f = TEXTS[lang], filters or {}
    rows = "".join(f"<tr><td>{e.at.isoformat(timespec='seconds')}</td><td>{text(e.actor)}</td>"
                   f"<td>{text(e.action)}</td><td>{text(e.target)}</td><td>{text(e.source)}</td>"
                   f"<td>{_changes(e.before)}</td><td>{_changes(e.after)}</td></tr>" for e in entries)
    kept = "".join(f"&amp;{k}={quote(v)}" for k, v in f.items() if v)
    more = (f'<p><a href="audit?month={month}{kept}&amp;before={quote(cursor)}&amp;lang={lang}">{t["next"]}</a></p>'
            if cursor else "")
    heads = [t[h] for h in ("at", "actor", "action", "target", "source", "before", "after")]
    inputs = "".join(f'<label for="{k}">{t[k]}</label><input id="{k}" name="{k}" value="{escape(f.get(k, ""))}">'
                     for k in ("actor", "action"))
    body = (f'{admin_nav(lang, "audit")}<form method="get" action="audit"><input type="hidden" name="lang" '
            f'value="{lang}"><label for="month">{t["month"]}</label><input id="month" name="month" type="month" '
            f'value="{escape(month)}">{inputs}<button type="submit">{t["show"]}</button></form>'
            f"{scroll_table(t['audit'], heads, rows)}{more}")
    return page(lang, t["audit"], body, switch=(f"audit?month={month}&lang={other_language(lang)}",
                                               t["switch"]))


def _changes(values: dict[str, str]) -> str:
    return text("; ".join(f"{k}: {v}" for k, v in values.items()))
