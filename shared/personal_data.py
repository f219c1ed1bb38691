"""Identity rules: GB 11643 resident ID numbers, mainland mobiles, keyed hashes and masks.

Masks follow GB/T 35273 §7.2 de-identification: ``110***********002X``, ``138****1234``,
``张*`` (docs/channel-facts.md, "Identity and privacy").
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
_PHONE_RE = re.compile(r"^(?:\+?86)?(1[3-9][0-9]{9})$")


def as_typed(raw: str) -> str:
    """An identifier as a person meant it: NFKC folds the full-width forms a Chinese keyboard types
    (``１３８``, ``Ｘ``, ``＋``, the ideographic space) to ASCII, spaces and hyphens go; any other non-ASCII
    digit (Arabic-Indic, superscript, circled…) stays and fails the ASCII-only patterns (docs/contract.md, Input
    normalisation). The one normalisation step for ID numbers and phones."""
    folded = "".join(unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" or c == "\u3000" else c
                     for c in raw or "")
    return re.sub(r"[\s\-]", "", folded)


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize_id_number(raw: str) -> str | None:
    """Upper-case, stripped 18-char ID number if it is valid (checksum and birth date), else None."""
    value = as_typed(raw).upper()
    if not _ID_RE.match(value) or id_check_char(value[:17]) != value[17]:
        return None
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None
    if born.year < 1880 or born > date.today():
        return None
    return value


def normalize_phone(raw: str) -> str | None:
    """``+86`` + 11 digits for a mainland mobile given as 11 digits or ``+86…``, else None."""
    match = _PHONE_RE.match(as_typed(raw))
    return f"+86{match.group(1)}" if match else None


def keyed_hash(pepper: str, value: str) -> str:
    """HMAC-SHA256 of a normalised identifier under the deployment's pepper (hex)."""
    return hmac.new(pepper.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


def mask_id(value: str) -> str:
    """``110***********002X``: first 3 and last 4 characters kept."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """``138****1234`` (the ``+86`` prefix dropped)."""
    digits = value[3:] if value.startswith("+86") else value
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]


def mask_name(value: str) -> str:
    """``张*`` / ``欧**``: the first character kept, one star per other character."""
    value = value.strip()
    return value[:1] + "*" * max(1, len(value) - 1) if value else ""


# An ID is masked even glued to words ("ID1101…"), but not inside a lowercase-hex token (notice ids, hashes),
# where a run of 18 digits can occur by chance.
_ID_IN_TEXT = re.compile(r"(?<![0-9a-f])\d{17}[\dXx](?![0-9a-f])")
_PHONE_IN_TEXT = re.compile(r"(?:(?<![0-9A-Za-z])|(?<=\\[nrt]))(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}"
                            r"(?![0-9A-Za-z])")  # also right after an escaped newline or tab in repr'd text


def mask_personal(text: str, *, phones: bool = True) -> str:
    """``text`` with every ID number (and, unless ``phones`` is False, every mainland mobile) in it masked,
    typed in any digit width, for everything a person reads: logs, error messages, replies, notices,
    operator views. Runs of digits inside longer tokens (application numbers, hex ids) are left alone."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id(unicodedata.normalize("NFKC", m.group(0))), text)
    if not phones:
        return text
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(re.sub(r"\D", "", unicodedata.normalize("NFKC", m.group(0)))[-11:]),
                              text)
