"""The citizen's own things on H5: applications with their progress and rating, complaints, licences,
notice and language settings. Every value goes through ``text`` (escaped, IDs and phones masked)."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from shared.contract.vocabulary import RATING_LABELS, status_label
from shared.pages.h5_layout import Visit, shell, token_field
from shared.pages.layout import text

CHANNELS = ("wechat_oa", "wechat_mini", "alipay", "sms")


def _steps(entries: list[Any], labels: dict[str, str]) -> str:
    """A record's steps, oldest first, each with its time (never colour alone: the words say the status)."""
    return "<ol class=steps>" + "".join(
        f"<li><strong>{labels.get(e.status, text(e.status))}</strong> {e.at:%Y-%m-%d %H:%M}"
        f"{' — ' + text(e.note) if e.note else ''}</li>" for e in entries) + "</ol>"


def applications_page(v: Visit, apps: list[Any], names: dict[str, str]) -> str:
    """The citizen's applications, newest first, with their status and promised date."""
    t, up = v.t, v.up
    rows = "".join(f'<li class="card"><a href="{up}applications/{escape(a.application_no)}">'
                   f'{text(names.get(a.item.code, a.item.name))}</a>'
                   f'<br>{text(a.application_no)} · {t["status"]}: {status_label(a.status, v.lang)} · {t["due"]}: '
                   f'{a.deadline or t["due_unknown"]}</li>' for a in apps)
    return shell(v, t["applications"], f"<ul class=steps>{rows}</ul>" if rows else f'<p>{t["no_applications"]}</p>')


def application_page(v: Visit, view: Any, labels: dict[str, str], ratable: bool, case: Any, error: str = "",
                     name: str = "") -> str:
    """One application: status, promised date, the timeline, the rating (or its form), the follow-up of a
    bad rating."""
    t, up = v.t, v.up
    head = (f'<p>{text(name or view.item.name)} · {t["status"]}: '
            f'<strong>{status_label(view.status, v.lang)}</strong></p>'
            f'<p>{t["due"]}: {view.deadline or t["due_unknown"]}</p>')
    progress = (f'<section aria-labelledby="tl"><h2 id="tl">{t["timeline"]}</h2>{_steps(view.timeline, labels)}'
                f'</section>')
    rating = ""
    if view.rating is not None:
        rated = text(t["rated"].format(label=RATING_LABELS[v.lang][view.rating.level]))
        rating = f'<section><h2>{t["rate_title"]}</h2><p>{rated}</p></section>'
    elif ratable:
        levels = "".join(f'<label class="choice"><input type="radio" name="level" value="{n}" required> {n} — '
                         f'{RATING_LABELS[v.lang][n]}</label>' for n in range(5, 0, -1))
        rating = (f'<section><h2>{t["rate_title"]}</h2><form method="post" action="{up}applications/'
                  f'{escape(view.application_no)}/rating">{token_field(v)}<fieldset><legend>{t["rate_level"]}</legend>'
                  f'{levels}</fieldset><label for="comment">{t["comment"]}</label><textarea id="comment" '
                  f'name="comment" maxlength="500" rows="3"></textarea><button type="submit">{t["rate"]}</button>'
                  f'</form></section>')
    follow = ""
    if case is not None:
        case_labels = {s: t["rect_" + s] for s in ("open", "rectified", "followed_up", "closed", "dismissed")}
        follow = (f'<section><h2>{t["rectify"]}</h2><p>{t["status"]}: {case_labels.get(case.status, text(case.status))}'
                  f' · {t["due"]}: {case.due}</p>{_steps(case.timeline, case_labels)}</section>')
    return shell(v, t["application"].format(no=view.application_no), head + progress + rating + follow, error=error)


def complaints_page(v: Visit, mine: list[Any], error: str = "") -> str:
    """File a complaint; one's latest complaints with their status; follow one by its number."""
    t, up = v.t, v.up
    labels = {s: t[s] for s in ("registered", "assigned", "replied", "followed_up", "closed")}
    listed = "".join(f'<li><a href="{up}complaints/{escape(c.complaint_no)}">{text(c.complaint_no)}</a> — '
                     f'{labels.get(c.status, text(c.status))}</li>' for c in mine)
    body = (f'<form method="post" action="{up}complaints">{token_field(v)}<label for="content">{t["content"]}</label>'
            f'<textarea id="content" name="content" maxlength="2000" rows="5" required></textarea>'
            f'<label for="application_no">{t["related"]}</label><input id="application_no" name="application_no" '
            f'maxlength="64"><button type="submit">{t["file_complaint"]}</button></form>'
            + (f'<section><h2>{t["my_complaints"]}</h2><ul>{listed}</ul></section>' if listed else "") +
            f'<section><h2>{t["follow_complaint"]}</h2><form method="get" action="{up}complaints/find">'
            f'<label for="no">{t["complaint_no"]}</label><input id="no" name="no" maxlength="64" required>'
            f'<button type="submit">{t["show"]}</button></form></section>')
    return shell(v, t["complaint_title"], body, error=error)


def complaint_page(v: Visit, view: Any) -> str:
    """One complaint: its steps and the reply."""
    t = v.t
    labels = {s: t[s] for s in ("registered", "assigned", "replied", "followed_up", "closed")}
    reply = text(view.reply) if view.reply else t["no_reply"]
    return shell(v, t["complaint"].format(no=view.complaint_no),
                 f'<section><h2>{t["reply"]}</h2><p>{reply}</p></section>'
                 f'<section><h2>{t["timeline"]}</h2>{_steps(view.timeline, labels)}</section>')


def licences_page(v: Visit, licences: list[Any], labels: dict[str, str], today: date) -> str:
    """The citizen's licences: kind, masked number, expiry date and the days left (in words, not colour)."""
    t = v.t
    rows = "".join(
        f'<li class="card"><strong>{labels.get(x.kind, text(x.kind))}</strong><br>{t["number"]}: '
        f'{text(x.number_masked)}<br>{t["expires"]}: {x.expires_on} · '
        f'{t["days_left"].format(n=(x.expires_on - today).days) if x.expires_on >= today else t["expired"]}</li>'
        for x in licences)
    return shell(v, t["licences"], f"<ul class=steps>{rows}</ul>" if rows else f'<p>{t["no_licences"]}</p>')


def settings_page(v: Visit, me: Any, notice: str = "", error: str = "") -> str:
    """Who is bound (masked), the notice channels in order, SMS opt-out and the language."""
    t, up = v.t, v.up
    chosen = list(me.preferences.channels)
    selects = ""
    for n in range(1, len(CHANNELS) + 1):
        current = chosen[n - 1] if n <= len(chosen) else ""
        opts = "".join(f'<option value="{c}"{" selected" if c == current else ""}>{t["ch_" + c]}</option>'
                       for c in CHANNELS)
        selects += (f'<label for="channel{n}">{t["first"].format(n=n)}</label><select id="channel{n}" name="channel">'
                    f'<option value="">{t["none"]}</option>{opts}</select>')
    langs = "".join(f'<label class="choice"><input type="radio" name="locale" value="{code}"'
                    f'{" checked" if me.preferences.locale == code else ""}> {name}</label>'
                    for code, name in (("zh-CN", "中文"), ("en", "English")))
    opted = " checked" if me.preferences.sms_opt_out else ""
    who = text(t["bound"].format(name=me.name_masked, id=me.id_number_masked, phone=me.phone_masked))
    body = (f'<p>{who}</p><form method="post" action="{up}me">{token_field(v)}<fieldset><legend>{t["channels"]}'
            f'</legend>{selects}</fieldset><label class="choice"><input type="checkbox" name="sms_opt_out" value="1"'
            f'{opted}> {t["sms_opt_out"]}</label><fieldset><legend>{t["language"]}</legend>{langs}</fieldset>'
            f'<button type="submit">{t["save"]}</button></form>'
            f'<form method="post" action="{up}sign-out">{token_field(v)}<button class="link">{t["sign_out"]}</button>'
            f'</form>')
    return shell(v, t["prefs_title"], body, notice=notice, error=error)
