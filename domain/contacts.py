"""Contact details (联系人、电话、电子邮箱): what counts as a valid address or phone number.

Pure checks, used by the request models and by the delivery (a notice goes only to an
address that passes `is_valid_email`). Phone numbers are those of the Chinese mainland:
mobile numbers (11 digits, 1[3-9]…) and fixed lines with their area code (0xx-xxxxxxxx,
with an optional extension), optionally written with +86 or 86.
"""

from __future__ import annotations

import re

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_SEPARATORS = re.compile(r"[\s()（）]")


def normalize_email(value: str) -> str:
    """The address as stored: trimmed, the domain in lower case (the local part is kept)."""
    local, _, domain = value.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def is_valid_email(value: str) -> bool:
    """An address an SMTP relay accepts: ``local@domain.tld``, ASCII, at most 254 characters.

    Deliberately the common subset of RFC 5321 (no quoted local parts, no IP literals):
    a county's staff and applicants use ordinary mailboxes, and a stricter check catches
    typing mistakes such as a full-width ＠ or a missing top-level domain.
    """
    if len(value) > 254 or value.count("@") != 1:
        return False
    local, domain = value.split("@")
    if not local or len(local) > 64 or not _LOCAL.match(local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not labels[-1].isalpha():
        return False
    return all(_LABEL.match(label) for label in labels)


def normalize_phone(value: str) -> str | None:
    """The number as stored (``13800138000``, ``0578-6123456``), or None when it is not a
    mainland mobile or fixed-line number. Spaces and brackets are ignored; a leading
    +86 / 86 is dropped."""
    compact = _SEPARATORS.sub("", value.strip())
    if compact.startswith("+86"):
        compact = compact[3:].lstrip("-")
    elif compact.startswith("86") and len(compact) == 13:
        compact = compact[2:]
    if _MOBILE.match(compact):
        return compact
    if _LANDLINE.match(compact):
        return compact
    return None


EMAIL_PROBLEM = "电子邮箱格式不正确（应为 name@example.com 形式，使用半角字符）"
PHONE_PROBLEM = "电话号码格式不正确（应为11位手机号码，或带区号的固定电话，如0578-6123456）"
