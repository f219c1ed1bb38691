"""通知记录 (``/console/notices``): every message Minqing sent or owes — found by application, phone or status —
with each attempt, and a button that sends a failed one again. Recipients are masked as on every page."""

from __future__ import annotations

from html import escape
from typing import Any

from shared.pages.console_admin import admin_nav
from shared.pages.layout import alert, other_language, page, scroll_table, text

TEXTS = {
    "zh-CN": {"title": "通知记录", "application": "办件编号", "phone": "手机号", "status": "状态", "find": "查询",
              "any": "不限", "pending": "待发送", "delivered": "已送达", "failed": "发送失败", "kind": "类型",
              "to": "接收方", "created": "生成时间", "attempts": "发送尝试", "retry": "重新发送", "id": "通知编号",
              "none": "没有符合条件的通知。", "waiting": "等待原因", "switch": "English",
              "retried": "通知 {n} 已重新发送，现状态：{s}。", "completion": "办结通知", "otp": "验证码",
              "supplement_required": "补正通知", "expiry_reminder": "到期提醒", "rating_invite": "评价邀请",
              "complaint_reply": "投诉答复", "supervision": "督办提醒"},
    "en": {"title": "Notice log", "application": "Application number", "phone": "Phone", "status": "Status",
           "find": "Search", "any": "any", "pending": "pending", "delivered": "delivered", "failed": "failed",
           "kind": "Kind", "to": "To", "created": "Created", "attempts": "Attempts", "retry": "Send again",
           "id": "Notice", "none": "No notice matches.", "waiting": "Waiting for", "switch": "中文",
           "retried": "Notice {n} is being sent again; it is now {s}.", "completion": "completion",
           "otp": "one-time code", "supplement_required": "supplement required", "expiry_reminder": "expiry reminder",
           "rating_invite": "rating invitation", "complaint_reply": "complaint reply", "supervision": "supervision"},
}


def notices_page(lang: str, csrf: str, notices: list[Any], values: dict[str, str], *, error: str = "",
                 retried: Any = None) -> str:
    """The search form, what it found (each notice with its attempts), and a retry button on failed ones."""
    t = TEXTS[lang]
    notice = (alert(error) if error else
              f'<p role="status">{text(t["retried"].format(n=retried.notice_id, s=t[retried.status.value]))}</p>'
              if retried else "")
    statuses = "".join(f'<option value="{s}"{" selected" if values.get("status", "failed") == s else ""}>'
                       f'{t[s] if s else t["any"]}</option>' for s in ("failed", "pending", "delivered", ""))
    search = (f'<form method="get" action="notices"><input type="hidden" name="lang" value="{lang}">'
              f'<label for="application_no">{t["application"]}</label><input id="application_no" '
              f'name="application_no" value="{escape(values.get("application_no", ""))}">'
              f'<label for="phone">{t["phone"]}</label><input id="phone" name="phone" inputmode="tel" '
              f'value="{text(values.get("phone", ""))}">'
              f'<label for="status">{t["status"]}</label><select id="status" name="status">{statuses}</select>'
              f'<button type="submit">{t["find"]}</button></form>')
    rows = "".join(_row(lang, csrf, n) for n in notices)
    heads = [t[h] for h in ("id", "kind", "application", "to", "created", "status", "attempts", "retry")]
    table = scroll_table(t["title"], heads, rows) if rows else f"<p>{t['none']}</p>"
    return page(lang, t["title"], f'{admin_nav(lang, "notices")}{notice}{search}{table}',
                switch=(f"notices?lang={other_language(lang)}", t["switch"]))


def _row(lang: str, csrf: str, n: Any) -> str:
    t = TEXTS[lang]
    attempts = "".join(f"<li>{a.at.isoformat(timespec='minutes')} {text(a.channel)}: {text(a.outcome)}"
                       f"{' — ' + text(a.detail) if a.detail else ''}</li>" for a in n.attempts)
    waiting = f"<br>{t['waiting']}: {text(n.waiting)}" if n.waiting else ""
    retry = (f'<form method="post" action="notices/{escape(n.notice_id)}/retry?lang={lang}">'
             f'<input type="hidden" name="csrf" value="{escape(csrf)}"><button type="submit" '
             f'aria-label="{t["retry"]} {escape(n.notice_id)}">{t["retry"]}</button></form>'
             if n.status.value == "failed" else "")
    return (f"<tr><td>{text(n.notice_id)}</td><td>{t.get(n.kind, text(n.kind))}</td>"
            f"<td>{text(n.application_no or n.complaint_no or '—')}</td><td>{text(n.to or '—')}</td>"
            f"<td>{n.created_at.isoformat(timespec='minutes') if n.created_at else '—'}</td>"
            f"<td>{t[n.status.value]}{waiting}</td><td><ol>{attempts}</ol></td><td>{retry}</td></tr>")
