"""系统密钥 (``/console/keys``): the administrator issues, rotates and revokes the keys county systems sign with.
A secret is on the page that made it, once; the page is never cached (``Cache-Control: no-store``)."""

from __future__ import annotations

import secrets
from html import escape
from typing import Any
from urllib.parse import quote

from shared.contract.keys import COUNTY_WIDE, KeyScope
from shared.pages.console_admin import admin_nav
from shared.pages.layout import alert, other_language, page, scroll_table, text

SCOPES = {"zh-CN": {"applications:write": "推进办件状态", "complaints:read": "查看投诉", "complaints:write": "办理投诉",
                    "rectifications:read": "查看差评整改", "rectifications:write": "办理差评整改",
                    "licences:write": "登记证照", "notices:read": "查看通知", "notices:write": "重发通知",
                    "reports:read": "读取考核报告"},
          "en": {"applications:write": "move applications", "complaints:read": "read complaints",
                 "complaints:write": "work complaints", "rectifications:read": "read rectification cases",
                 "rectifications:write": "work rectification cases", "licences:write": "register licences",
                 "notices:read": "read notices", "notices:write": "retry notices", "reports:read": "read reports"}}
TIERS = {"zh-CN": {"": "不限", "county": "县级", "township": "乡镇", "village": "村（社区）"},
         "en": {"": "any", "county": "County", "township": "Township", "village": "Village"}}
TEXTS = {
    "zh-CN": {"title": "系统密钥", "id": "密钥编号", "label": "用途", "scopes": "权限", "binding": "范围",
              "state": "状态",
              "made": "签发", "active": "有效", "revoked": "已吊销", "rotating": "轮换中，新密钥 {k}",
              "issue": "签发新密钥", "department": "部门（留空为全县）", "tier": "层级", "go": "签发", "rotate": "轮换",
              "revoke": "吊销",
              "actions": "操作", "next": "下一页", "wide": "（仅限全县密钥）", "switch": "English",
              "secret": "新密钥 {k} 的签名密钥如下。它只显示这一次，请立即交给对接系统妥善保存；遗失只能轮换。",
              "how": "对接系统请求时带上 X-Minqing-Key-Id: {k}，并用此密钥计算 X-Minqing-Signature。",
              "done_revoke": "密钥 {k} 已吊销，此后用它签名的请求一律拒绝（401）。", "everywhere": "全县",
              "rotate_note": "轮换后新旧密钥同时有效，对接系统换用新密钥后请吊销旧密钥。"},
    "en": {"title": "System keys", "id": "Key", "label": "Used by", "scopes": "Scopes", "binding": "Binding",
           "state": "State", "made": "Issued", "active": "active", "revoked": "revoked",
           "rotating": "rotating, successor {k}", "issue": "Issue a key", "department": "Department (empty: county)",
           "tier": "Tier", "go": "Issue", "rotate": "Rotate", "revoke": "Revoke", "actions": "Actions",
           "next": "Next page", "wide": "(county-wide keys only)", "switch": "中文", "everywhere": "whole county",
           "secret": "The signing secret of the new key {k} is below. It is shown this once: give it to the system "
                     "now and keep it safe; a lost secret can only be rotated.",
           "how": "The system sends X-Minqing-Key-Id: {k} and computes X-Minqing-Signature with this secret.",
           "done_revoke": "Key {k} is revoked: every request signed with it is refused (401) from now on.",
           "rotate_note": "After a rotation both keys work; revoke the old one once the system uses the new one."},
}


def keys_page(lang: str, csrf: str, keys: list[Any], cursor: str | None, *, secret: tuple[str, str] | None = None,
              revoked: str = "", error: str = "", values: dict[str, str] | None = None) -> str:
    """The keys a page at a time, each with its rotate and revoke buttons, the issuing form, and — right after
    issuing or rotating — the new secret."""
    t, v = TEXTS[lang], values or {}
    rows = "".join(_row(lang, csrf, k) for k in keys)
    more = f'<p><a href="keys?before={quote(cursor)}&amp;lang={lang}">{t["next"]}</a></p>' if cursor else ""
    notice = ""
    if secret:
        key_id, value = secret
        notice = (f'<div role="status"><p>{text(t["secret"].format(k=key_id))}</p><pre tabindex="0">'
                  f'{escape(value)}</pre><p>{text(t["how"].format(k=key_id))}</p></div>')
    elif revoked:
        notice = f'<p role="status">{text(t["done_revoke"].format(k=revoked))}</p>'
    elif error:
        notice = alert(error)
    chosen = v.get("scopes", "").split(",")
    boxes = "".join(f'<label style="font-weight:400"><input type="checkbox" name="scope" value="{s.value}" '
                    f'style="width:auto"{" checked" if s.value in chosen else ""}> {SCOPES[lang][s.value]} '
                    f'<code>{s.value}</code>{" " + t["wide"] if s in COUNTY_WIDE else ""}</label>' for s in KeyScope)
    tiers = "".join(f'<option value="{k}"{" selected" if v.get("tier", "") == k else ""}>{label}</option>'
                    for k, label in TIERS[lang].items())
    heads = [t[h] for h in ("id", "label", "scopes", "binding", "made", "state", "actions")]
    body = (f'{admin_nav(lang, "keys")}{notice}{scroll_table(t["title"], heads, rows)}{more}'
            f'<p>{t["rotate_note"]}</p><h2>{t["issue"]}</h2><form method="post" action="keys?lang={lang}">'
            f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
            f'<input type="hidden" name="once" value="{secrets.token_urlsafe(16)}">'
            f'<label for="label">{t["label"]}</label><input id="label" name="label" required maxlength="60" '
            f'value="{escape(v.get("label", ""))}">'
            f'<fieldset><legend>{t["scopes"]}</legend>{boxes}</fieldset>'
            f'<label for="department">{t["department"]}</label><input id="department" name="department" '
            f'maxlength="60" value="{escape(v.get("department", ""))}">'
            f'<label for="tier">{t["tier"]}</label><select id="tier" name="tier">{tiers}</select>'
            f'<button type="submit">{t["go"]}</button></form>')
    return page(lang, t["title"], body, switch=(f"keys?lang={other_language(lang)}", t["switch"]))


def _row(lang: str, csrf: str, k: Any) -> str:
    t = TEXTS[lang]
    binding = " / ".join(x for x in (k.department, TIERS[lang][k.tier.value] if k.tier else "") if x) \
        or t["everywhere"]
    state = t["revoked"] if not k.active else t["rotating"].format(k=k.replaced_by) if k.replaced_by else t["active"]
    actions = ""
    if k.active:
        hidden = f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        rotate = "" if k.replaced_by else (
            f'<form method="post" action="keys/{k.key_id}/rotate?lang={lang}" style="display:inline">{hidden}'
            f'<button type="submit" aria-label="{t["rotate"]} {k.key_id}">{t["rotate"]}</button></form> ')
        actions = (f'{rotate}<form method="post" action="keys/{k.key_id}/revoke?lang={lang}" style="display:inline">'
                   f'{hidden}<button type="submit" aria-label="{t["revoke"]} {k.key_id}">{t["revoke"]}</button></form>')
    return (f"<tr><td><code>{k.key_id}</code></td><td>{text(k.label)}</td>"
            f"<td>{', '.join(f'<code>{s.value}</code>' for s in k.scopes)}</td><td>{text(binding)}</td>"
            f"<td>{k.created_at.isoformat(timespec='minutes')} {text(k.created_by)}</td><td>{text(state)}</td>"
            f"<td>{actions}</td></tr>")
