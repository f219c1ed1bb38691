"""``/h5/me`` (who is bound, notice channels, SMS opt-out, language) and ``/h5/licences``."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.h5 import LANG, YEAR, Call, lax_cookie, portal
from functions.web import html
from shared.errors import MinqingError, ValidationFailed

bp = Blueprint(__name__)


@portal(bp, "/h5/me")
def settings(call: Call) -> Response:
    """The settings form."""
    from shared.pages.h5_my_pages import settings_page

    assert call.principal is not None
    call.citizen()
    return html(settings_page(call.v, services().identity.me(call.principal)))


@portal(bp, "/h5/me", methods=["POST"])
def save(call: Call) -> Response:
    """Save the channel order, the SMS opt-out and the language (the pages follow the language at once)."""
    from dataclasses import replace

    from functions.web import form_values
    from shared.contract.commands import UpdatePreferences
    from shared.pages.h5_layout import said
    from shared.pages.h5_my_pages import settings_page

    s = services()
    assert call.principal is not None
    values = form_values(call.req)
    channels = list(dict.fromkeys(c for c in values.get("channel", []) if c))
    try:
        typed = {"channels": channels or None, "sms_opt_out": "sms_opt_out" in values,
                 "locale": call.fields.get("locale") or None}
        cmd = ValidationFailed.check(UpdatePreferences, typed)
        me = s.identity.update_preferences(call.principal, cmd)
    except MinqingError as exc:
        return html(settings_page(call.v, s.identity.me(call.principal), error=said(call.v, exc)), exc.status)
    v = replace(call.v, lang=me.preferences.locale)
    return html(settings_page(v, me, notice=v.t["saved"]), cookies=[lax_cookie(LANG, v.lang, YEAR)])


@portal(bp, "/h5/licences")
def licences(call: Call) -> Response:
    """Licences on record and their expiry dates."""
    from shared.pages.h5_my_pages import licences_page
    from shared.texts import LICENCE_LABELS

    s = services()
    mine = s.licences.list_own(call.citizen())
    return html(licences_page(call.v, mine, LICENCE_LABELS[call.v.lang], s.clock.now().date()))
