"""运营报告 (``/console/report``): the assessment report as people read it — charts drawn from the same figures
``GET /backend/v1/reports/satisfaction`` answers for the period, the table of them, and the months one by one."""

from __future__ import annotations

from html import escape
from typing import Any

from shared.pages.charts import bar_chart, percent
from shared.pages.console_admin import admin_nav
from shared.pages.layout import alert, other_language, page, scroll_table, text

TEXTS = {
    "zh-CN": {"title": "运营报告", "from": "起始月份", "to": "截止月份", "show": "查看", "csv": "下载 CSV",
              "levels": "评价分布（{p}）", "monthly": "各月满意率", "by_row": "各部门满意率",
              "reply": "各部门投诉按时答复率", "rectify": "各部门差评按时整改率", "table": "考核汇总（{p}）",
              "months": "各部门按月按时率（答复 / 整改）", "department": "部门", "tier": "层级", "total": "评价数",
              "satisfaction": "满意率", "bad": "差评", "rect_rate": "整改率", "rect_on_time": "按时整改率",
              "complaints": "计入投诉", "reply_on_time": "按时答复率", "none": "本期没有数据。", "switch": "English",
              "county": "县级", "township": "乡镇", "village": "村（社区）", "all": "全县",
              "5": "非常满意", "4": "满意", "3": "基本满意", "2": "不满意", "1": "非常不满意"},
    "en": {"title": "Operations report", "from": "From month", "to": "To month", "show": "Show",
           "csv": "Download CSV", "levels": "Ratings by level ({p})", "monthly": "Satisfaction by month",
           "by_row": "Satisfaction by department", "reply": "Complaints replied on time, by department",
           "rectify": "Bad ratings rectified on time, by department", "table": "Assessment summary ({p})",
           "months": "On-time rates by department and month (replies / rectification)", "department": "Department",
           "tier": "Tier", "total": "Ratings", "satisfaction": "Satisfaction", "bad": "Bad ratings",
           "rect_rate": "Rectified", "rect_on_time": "Rectified on time", "complaints": "Complaints counted",
           "reply_on_time": "Replied on time", "none": "Nothing in this period.", "switch": "中文",
           "county": "County", "township": "Township", "village": "Village", "all": "whole county",
           "5": "very satisfied", "4": "satisfied", "3": "fairly satisfied", "2": "dissatisfied",
           "1": "very dissatisfied"},
}


def report_page(lang: str, months: tuple[str, str], total: Any, monthly: list[tuple[str, Any]], *,
                error: str = "") -> str:
    """The period's charts and table, then the months side by side."""
    t, (first, last) = TEXTS[lang], months
    period = f"{first} – {last}"
    form = (f'<form method="get" action="report"><input type="hidden" name="lang" value="{lang}">'
            f'<label for="from">{t["from"]}</label><input id="from" name="from" type="month" value="{escape(first)}">'
            f'<label for="to">{t["to"]}</label><input id="to" name="to" type="month" value="{escape(last)}">'
            f'<button type="submit">{t["show"]}</button></form>'
            f'<p><a href="report.csv?from={escape(first)}&amp;to={escape(last)}" download>{t["csv"]}</a></p>')
    refused = alert(error)
    rows = total.rows if total else []
    if not rows:
        return page(lang, t["title"], f'{admin_nav(lang, "report")}{refused}{form}<p>{t["none"]}</p>',
                    switch=(f"report?lang={other_language(lang)}", t["switch"]))
    levels = {lv: sum(r.ratings[lv] for r in rows) for lv in ("5", "4", "3", "2", "1")}
    charts = [
        bar_chart("levels", t["levels"].format(p=period), [(t[lv], n, str(n)) for lv, n in levels.items()],
                  max(levels.values()) or 1),
        bar_chart("monthly", t["monthly"], [(m, rate, percent(rate)) for m, rate in
                                            ((m, _satisfaction(r.rows)) for m, r in monthly)], 1.0),
        bar_chart("by-row", t["by_row"], [(_name(r, t), r.satisfaction_rate, percent(r.satisfaction_rate))
                                          for r in rows if r.rating_total], 1.0),
        bar_chart("reply", t["reply"], [(_name(r, t), r.complaint_on_time_reply_rate,
                                         percent(r.complaint_on_time_reply_rate)) for r in rows
                                        if r.complaints_counted], 1.0, colour=1),
        bar_chart("rectify", t["rectify"], [(_name(r, t), r.rectification_on_time_rate,
                                             percent(r.rectification_on_time_rate)) for r in rows if r.bad_ratings],
                  1.0, colour=1),
    ]
    heads = [t["department"], t["tier"], *(t[lv] for lv in levels), t["total"], t["satisfaction"], t["bad"],
             t["rect_rate"], t["rect_on_time"], t["complaints"], t["reply_on_time"]]
    cells = "".join(
        f"<tr><th scope=\"row\">{text(r.department)}</th><td>{t[r.tier.value]}</td>"
        + "".join(f"<td>{r.ratings[lv]}</td>" for lv in levels)
        + f"<td>{r.rating_total}</td><td>{percent(r.satisfaction_rate)}</td><td>{r.bad_ratings}</td>"
          f"<td>{percent(r.rectification_rate)}</td><td>{percent(r.rectification_on_time_rate)}</td>"
          f"<td>{r.complaints_counted}</td><td>{percent(r.complaint_on_time_reply_rate)}</td></tr>" for r in rows)
    body = (f'{admin_nav(lang, "report")}{refused}{form}{"".join(charts)}'
            f'<h2>{t["table"].format(p=period)}</h2>{scroll_table(t["table"].format(p=period), heads, cells)}'
            f'<h2>{t["months"]}</h2>{_by_month(monthly, t)}')
    return page(lang, t["title"], body,
                switch=(f"report?from={first}&to={last}&lang={other_language(lang)}",
                        t["switch"]))


def _by_month(monthly: list[tuple[str, Any]], t: dict[str, str]) -> str:
    names = sorted({(r.department, r.tier.value) for _, rep in monthly for r in rep.rows})
    cells = "".join(
        f'<tr><th scope="row">{text(d)} · {t[tier]}</th>' + "".join(
            f"<td>{_pair(next((r for r in rep.rows if (r.department, r.tier.value) == (d, tier)), None))}</td>"
            for _, rep in monthly) + "</tr>" for d, tier in names)
    return scroll_table(t["months"], [t["department"], *(m for m, _ in monthly)], cells)


def _pair(row: Any) -> str:
    if row is None:
        return "—"
    return f"{percent(row.complaint_on_time_reply_rate)} / {percent(row.rectification_on_time_rate)}"


def _satisfaction(rows: list[Any]) -> float | None:
    from shared.services.reports import satisfaction_rate

    return satisfaction_rate({lv: sum(r.ratings[lv] for r in rows) for lv in ("1", "2", "3", "4", "5")})


def _name(row: Any, t: dict[str, str]) -> str:
    return f"{row.department} · {t[row.tier.value]}"
