"""运营台: the keys county systems sign backend requests with (``/console/keys``, county administrators only):
issue, rotate (both keys work until the old one is revoked) and revoke; every change audited."""

from __future__ import annotations

from chalice import Blueprint, Response

from functions.bootstrap import services
from functions.console import Desk, desk
from functions.web import html
from shared.errors import ValidationFailed

bp = Blueprint(__name__)


@desk(bp, "/console/keys")
def keys(d: Desk) -> Response:
    """The keys a page at a time and the form that issues one."""
    from shared.pages.console_keys import keys_page

    found, cursor = services().backend_keys.listed(d.who, before=(d.req.query_params or {}).get("before"))
    return html(keys_page(d.lang, d.csrf, found, cursor))


@desk(bp, "/console/keys", methods=["POST"])
def issue(d: Desk) -> Response:
    """Issue a key from the form; the answer shows its secret, once."""
    from shared.pages.console_keys import keys_page

    s = services()
    fields = {"label": d.fields.get("label", ""), "scopes": d.lists.get("scope", []),
              "department": d.fields.get("department") or None, "tier": d.fields.get("tier") or None}
    try:
        key, secret = s.backend_keys.issue(d.who, fields, d.source, once=d.fields.get("once", ""))
    except ValidationFailed as exc:
        listed, cursor = s.backend_keys.listed(d.who)
        from shared.pages.layout import refusal

        detail = refusal(exc)
        kept = {**{k: v for k, v in fields.items() if isinstance(v, str)}, "scopes": ",".join(fields["scopes"])}
        kept.pop("once", None)
        return html(keys_page(d.lang, d.csrf, listed, cursor, error=detail, values=kept), exc.status)
    listed, cursor = s.backend_keys.listed(d.who)
    return html(keys_page(d.lang, d.csrf, listed, cursor, secret=(key.key_id, secret)), 201)


@desk(bp, "/console/keys/{key_id}/rotate", methods=["POST"])
def rotate(d: Desk, key_id: str) -> Response:
    """A successor key with the same scopes; its secret shown once."""
    from shared.pages.console_keys import keys_page

    s = services()
    key, secret = s.backend_keys.rotate(d.who, key_id, d.source)
    listed, cursor = s.backend_keys.listed(d.who)
    return html(keys_page(d.lang, d.csrf, listed, cursor, secret=(key.key_id, secret)), 201)


@desk(bp, "/console/keys/{key_id}/revoke", methods=["POST"])
def revoke(d: Desk, key_id: str) -> Response:
    """Refuse the key from now on."""
    from shared.pages.console_keys import keys_page

    s = services()
    s.backend_keys.revoke(d.who, key_id, d.source)
    listed, cursor = s.backend_keys.listed(d.who)
    return html(keys_page(d.lang, d.csrf, listed, cursor, revoked=key_id))
