"""``/docs``: the OpenAPI document rendered as one page a developer reads on a laptop or a phone — zh-CN or
en, no script, every style inline (nothing fetched from a CDN), WCAG 2.1 AA contrast.
https://www.w3.org/TR/WCAG21/
"""

from __future__ import annotations

from html import escape
from typing import Any

from shared.pages.layout import scroll_table

LANGUAGES = ("zh-CN", "en")
TEXT: dict[str, dict[str, str]] = {
    "zh-CN": {
        "title": "民情直通车 接口文档", "skip": "跳到正文", "contents": "目录", "switch": "English",
        "switch_lang": "en", "raw": "OpenAPI 3.1 文档（JSON）", "auth": "认证", "params": "参数",
        "body": "请求体", "answers": "响应", "schemas": "数据结构", "name": "名称", "in": "位置",
        "type": "类型", "required": "必填", "yes": "是", "no": "否", "field": "字段", "notes": "说明",
        "none": "无需认证", "bearer": "Bearer 会话令牌（渠道登录获得）",
        "backend": "后台签名（X-Minqing-Timestamp、X-Minqing-Nonce、X-Minqing-Signature，可选 X-Minqing-Key-Id）",
        "scope": "密钥需有权限",
        "status": "状态码", "meaning": "含义", "intro": "说明", "example": "示例",
        "schemes": "认证方式",
        "about": "民情直通车把县（区）的政务服务通过公众号、小程序、支付宝和短信接到同一套后端接口。"
                 "`/v1` 是群众接口（渠道登录得到 Bearer 会话令牌），`/backend/v1` 是审批系统和工作人员的后台接口"
                 "（HMAC-SHA256 签名）。JSON 进出，请求体不超过 64 KiB；所有错误都是 "
                 "`{\"error\": {\"code\", \"message\", \"details\"}}`，422 在 `details` 中列出出错的字段；"
                 "身份证号和手机号在任何响应中都已脱敏。"
                 "代行群众办事的接口需要先绑定身份（`POST /v1/identity/bind`），否则 403。"
                 "后台签名的算法和 Python、Node.js 示例见仓库中的 docs/backend-signing.md。",
    },
    "en": {
        "title": "Minqing API reference", "skip": "Skip to content", "contents": "Contents", "switch": "中文",
        "switch_lang": "zh-CN", "raw": "OpenAPI 3.1 document (JSON)", "auth": "Authentication",
        "params": "Parameters", "body": "Request body", "answers": "Responses", "schemas": "Schemas",
        "name": "Name", "in": "In", "type": "Type", "required": "Required", "yes": "yes", "no": "no",
        "field": "Field", "notes": "Notes", "none": "no authentication",
        "bearer": "Bearer session token (from a channel login)",
        "backend": "backend signature (X-Minqing-Timestamp, X-Minqing-Nonce, X-Minqing-Signature, optional "
                   "X-Minqing-Key-Id)",
        "scope": "a scoped key needs",
        "status": "Status", "meaning": "Meaning", "intro": "About", "example": "Example",
        "schemes": "Authentication schemes", "about": "",
    },
}
TAGS = {"zh-CN": {"applications": "申办与进度", "auth_alipay": "支付宝登录", "auth_wechat": "微信登录",
                  "backend_applications": "后台：办件状态", "backend_complaints": "后台：投诉",
                  "backend_licences": "后台：证照", "backend_notices": "后台：通知",
                  "backend_rectifications": "后台：差评整改", "backend_reports": "后台：考核报告",
                  "complaints": "投诉", "health": "健康检查", "identity": "身份绑定", "items": "服务事项",
                  "licences": "证照", "subscriptions": "订阅授权"}}
SUMMARIES_ZH = {
    "get_health": "部署正常运行且已配置。",
    "get_v1_items": "群众可申办的全部事项及其表单字段（无需登录）。",
    "post_v1_auth_wechat_mini": "用 wx.login 的 code 换取会话令牌，并告知账号是否已绑定身份。",
    "post_v1_auth_wechat_oa": "用公众号网页授权的 code 换取会话令牌，并告知是否已绑定身份。",
    "post_v1_auth_alipay": "用支付宝 auth_code 换取会话令牌（账号为 open_id，尚未迁移的应用为 user_id）。",
    "post_v1_identity_otp": "向手机发送 6 位验证码（同一号码每 60 秒一次）。",
    "post_v1_identity_bind": "把当前渠道账号绑定到该身份证号对应的群众。",
    "get_v1_me": "当前群众的资料（已脱敏）。",
    "put_v1_me_preferences": "修改通知渠道、短信退订或语言。",
    "post_v1_applications": "申办事项；同一 Idempotency-Key 只受理一次。",
    "get_v1_applications": "本人的办件，最新的在前。",
    "get_v1_applications_no": "一个办件的进度和时间线。",
    "post_v1_applications_no_withdraw": "办结前撤回办件。",
    "post_v1_applications_no_rating": "对已办结的办件评价一次（好差评）。",
    "post_v1_complaints": "登记投诉。",
    "get_v1_complaints_no": "本人的投诉及其时间线和答复。",
    "get_v1_subscriptions": "各类通知的模板 ID 及已持有的订阅次数。",
    "post_v1_subscriptions": "记录刚获得的一次性订阅授权。",
    "get_v1_licences": "本人的证照（号码已脱敏），最早到期的在前。",
    "post_backend_v1_applications_no_events": "审批系统推进办件状态（不允许的变更返回 409）。",
    "get_backend_v1_complaints": "投诉列表，可按状态筛选。",
    "post_backend_v1_complaints_no_events": "推进投诉；replied 会把答复发给群众。",
    "put_backend_v1_licences_licence_id": "新建或替换证照；新的到期日会重新安排到期提醒。",
    "get_backend_v1_notices": "按办件号、收件人（phone 或 to）或状态（pending/failed）查询通知，可再按 kind 筛选。",
    "post_backend_v1_notices_notice_id_retry": "把失败的通知重新置为待发送并重试（不是 failed 时返回 409）。",
    "get_backend_v1_rectifications": "差评整改案件，可按状态筛选。",
    "post_backend_v1_rectifications_case_id_events": "推进整改案件（不允许的变更返回 409）。",
    "get_backend_v1_reports_satisfaction": "按部门和层级统计一段时间的评价、整改和投诉数据（考核）。",
}
STYLE = """
body{font:16px/1.6 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;color:#1a1a1a;background:#fff}
main,header,nav{max-width:60rem;margin:0 auto;padding:0 1rem}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:baseline;justify-content:space-between}
a{color:#0b57d0}a:focus,summary:focus{outline:3px solid #b3261e;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:#f3f3f3;border-radius:3px}
pre{padding:.75rem;overflow-x:auto;white-space:pre-wrap}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #767676;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#eee}
section.op{border-top:2px solid #555;margin-top:1.5rem}
.method{display:inline-block;min-width:4.2em;font-weight:700;color:#fff;background:#1d4f91;padding:0 .4em;
border-radius:3px;text-align:center}
h3{font-size:1.1rem;word-break:break-all}
.scroll{overflow-x:auto;max-width:100%}th{white-space:nowrap}code{overflow-wrap:anywhere}
"""


def choose_language(asked: str | None, accept_language: str | None) -> str:
    """``?lang=`` when it names a language served, else the browser's first preference, else zh-CN."""
    if asked in LANGUAGES:
        return asked
    first = (accept_language or "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "zh-CN"


def render(doc: dict[str, Any], lang: str, base: str = "") -> str:
    """The page of ``doc`` in ``lang``; ``base`` leads relative links back to the API's root (``../`` when
    the page was asked for as ``/docs/``)."""
    t = TEXT[lang]
    ops = [(path, method, op) for path, item in doc["paths"].items() for method, op in item.items()]
    tags = [tag["name"] for tag in doc["tags"]]
    toc = "".join(f'<li><a href="#tag-{escape(tag)}">{escape(_tag(tag, lang))}</a></li>' for tag in tags)
    sections = "".join(
        f'<section aria-labelledby="tag-{escape(tag)}"><h2 id="tag-{escape(tag)}">{escape(_tag(tag, lang))}</h2>'
        + "".join(_operation(path, method, op, doc, t, lang) for path, method, op in ops if op["tags"] == [tag])
        + "</section>" for tag in tags)
    schemes = "".join(f"<dt><code>{escape(name)}</code></dt><dd>{_inline(scheme.get('description', ''))}</dd>"
                      for name, scheme in doc["components"]["securitySchemes"].items())
    schemas = "".join(_schema(name, schema, t) for name, schema in doc["components"]["schemas"].items())
    other = t["switch_lang"]
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>{escape(t["title"])}</title><style>{STYLE}</style></head><body>'
        f'<a class="skip" href="#main">{escape(t["skip"])}</a>'
        f'<header><h1>{escape(t["title"])} <small>v{escape(doc["info"]["version"])}</small></h1>'
        f'<p><a href="?lang={other}" lang="{other}" hreflang="{other}">{escape(t["switch"])}</a> · '
        f'<a href="{base}openapi.json">{escape(t["raw"])}</a></p></header>'
        f'<nav aria-label="{escape(t["contents"])}"><h2>{escape(t["contents"])}</h2><ul>{toc}'
        f'<li><a href="#schemas">{escape(t["schemas"])}</a></li></ul></nav>'
        f'<main id="main"><h2>{escape(t["intro"])}</h2>'
        f'{_markdown(t["about"]) if t["about"] else _markdown(doc["info"]["description"])}'
        f'<h3>{escape(t["schemes"])}</h3><dl>{schemes}</dl>{sections}'
        f'<section aria-labelledby="schemas"><h2 id="schemas">{escape(t["schemas"])}</h2>{schemas}</section>'
        f"</main></body></html>")


def _summary(op: dict[str, Any], lang: str) -> str:
    return SUMMARIES_ZH.get(op["operationId"], op["summary"]) if lang == "zh-CN" else op["summary"]


def _example(schema: dict[str, Any], doc: dict[str, Any], t: dict[str, str]) -> str:
    """The body schema's first example, as JSON."""
    import json

    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    examples = doc["components"]["schemas"].get(name, {}).get("examples") or []
    if not examples:
        return ""
    text = json.dumps(examples[0], ensure_ascii=False, indent=2)
    return f'<p>{t["example"]}:</p><pre tabindex="0">{escape(text)}</pre>'


def _tag(tag: str, lang: str) -> str:
    return TAGS.get(lang, {}).get(tag, tag.replace("_", " "))


def _operation(path: str, method: str, op: dict[str, Any], doc: dict[str, Any], t: dict[str, str],
               lang: str) -> str:
    security = op.get("security") or []
    auth = t["none"] if not security else t["bearer"] if "bearer" in security[0] else t["backend"]
    if op.get("x-minqing-scope"):
        auth += f" — {t['scope']} {op['x-minqing-scope']}"
    params = op.get("parameters", [])
    rows = "".join(f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
                   f"<td>{escape(_type(p['schema']))}</td><td>{t['yes'] if p.get('required') else t['no']}</td>"
                   f"<td>{escape(p.get('description', ''))}</td></tr>" for p in params)
    table = (f'<h4>{t["params"]}</h4>' + scroll_table(t["params"], [t["name"], t["in"], t["type"], t["required"],
                                                                     t["notes"]], rows)) if params else ""
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    body_html = f'<h4>{t["body"]}</h4><p>{_type(body, link=True)}</p>{_example(body, doc, t)}' if body else ""
    answers = "".join(
        f"<tr><td>{escape(code)}</td><td>{_inline(r['description'])}</td><td>"
        f"{_type(r.get('content', {}).get('application/json', {}).get('schema', {}), link=True)}</td></tr>"
        for code, r in op["responses"].items())
    return (f'<section class="op" id="{escape(op["operationId"])}" aria-labelledby="h-{escape(op["operationId"])}">'
            f'<h3 id="h-{escape(op["operationId"])}"><span class="method">{method.upper()}</span> '
            f'<code>{escape(path)}</code></h3><p>{_inline(_summary(op, lang))}</p>'
            f'{"<p>" + _inline(op["description"]) + "</p>" if op.get("description") and lang == "en" else ""}'
            f'<p><strong>{t["auth"]}:</strong> {escape(auth)}</p>{table}{body_html}'
            f'<h4>{t["answers"]}</h4>{scroll_table(t["answers"], [t["status"], t["meaning"], t["type"]], answers)}'
            f"</section>")


def _schema(name: str, schema: dict[str, Any], t: dict[str, str]) -> str:
    required = set(schema.get("required", []))
    if "properties" not in schema:
        return (f'<h3 id="schema-{escape(name)}">{escape(name)}</h3><p>{escape(_type(schema))}</p>'
                f'<p>{_inline(schema.get("description", ""))}</p>')
    rows = "".join(f"<tr><td><code>{escape(field)}</code></td><td>{_type(prop, link=True)}</td>"
                   f"<td>{t['yes'] if field in required else t['no']}</td>"
                   f"<td>{_inline(prop.get('description', ''))}</td></tr>"
                   for field, prop in schema["properties"].items())
    return (f'<h3 id="schema-{escape(name)}">{escape(name)}</h3><p>{_inline(schema.get("description", ""))}</p>'
            + scroll_table(name, [t["field"], t["type"], t["required"], t["notes"]], rows))


def _type(schema: dict[str, Any], link: bool = False) -> str:
    """A short human type: ``string (1–64)``, ``list of ProgressView``, ``one of a | b``."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return f'<a href="#schema-{escape(name)}">{escape(name)}</a>' if link else name
    if "anyOf" in schema:
        return " | ".join(_type(s, link) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(f"<code>{escape(str(v))}</code>" if link else str(v) for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}), link)}"
    if kind == "object" and "additionalProperties" in schema:
        return f"map of {_type(schema['additionalProperties'] or {}, link)}"
    bounds = [str(schema[k]) for k in ("minLength", "minimum") if k in schema]
    upper = [str(schema[k]) for k in ("maxLength", "maximum") if k in schema]
    extra = f" ({bounds[0] if bounds else ''}–{upper[0] if upper else ''})" if bounds or upper else ""
    fmt = f" {schema['format']}" if "format" in schema else ""
    text = f"{kind}{fmt}{extra}"
    return escape(text) if link else text


def _inline(text: str) -> str:
    """Escaped text with ``code`` spans."""
    parts = escape(text).replace("``", "`").split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def _markdown(text: str) -> str:
    """The description's paragraphs and ``- `` lists."""
    blocks: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        if line.startswith("- "):
            blocks.append(("li", [line[2:]]))
        elif line.strip() and blocks and (line.startswith("  ") or blocks[-1][0] == "p"):
            blocks[-1][1].append(line.strip())
        elif line.strip():
            blocks.append(("p", [line]))
        else:
            blocks.append(("", []))
    html, items = [], []
    for kind, lines in [*blocks, ("", [])]:
        if kind == "li":
            items.append(f"<li>{_inline(' '.join(lines))}</li>")
            continue
        if items:
            html.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if kind == "p":
            html.append(f"<p>{_inline(' '.join(lines))}</p>")
    return "".join(html)
