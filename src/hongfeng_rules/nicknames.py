"""A group nickname "单位-姓名-电话号码" (DB3210/T 1190—2025 7.2.1) as people type it, normalised.

People type full-width characters (NFKC turns "－" and full-width digits into ASCII), other dashes ("—", "–",
"－", "﹣", "−", "‐"), spaces around the parts or inside the number, hyphens inside a mobile number, and a country code
"+86" / "0086" before it. `normalise` maps all of these to the one form "unit-name-number"; `name_part` is the name
between the first and the last hyphen-separated part, to compare with the member's recorded name.
"""
from __future__ import annotations

import re
import unicodedata

_DASHES = re.compile(r"\s*[-‐‑‒–—―﹘﹣－−]+\s*")
_SPACES = re.compile(r"\s+")
_MOBILE = re.compile(r"(?:(?:\+|00)?86)?(1[3-9]\d{9})")


def normalise(nickname: str | None) -> str | None:
    """The nickname with dashes unified to "-", spaces dropped, and a +86 country code removed from a mobile."""
    if nickname is None:
        return None
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", nickname).strip())
    unit, sep, rest = text.partition("-")
    if not sep:
        return text
    name, sep, number = rest.partition("-")
    if not sep:
        return text
    number = _SPACES.sub("", number)
    mobile = _MOBILE.fullmatch(number.replace("-", ""))  # "+86 138-1234-5678" is the mobile 13812345678
    return "-".join((unit, name, mobile[1] if mobile else number))


def name_part(nickname: str | None) -> str | None:
    """The name of a normalised "unit-name-number" nickname (None: not of three parts)."""
    text = normalise(nickname)
    if text is None:
        return None
    parts = text.split("-")
    return parts[1] if len(parts) >= 3 and parts[1] else None
