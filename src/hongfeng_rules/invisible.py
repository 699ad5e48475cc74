"""Characters that change how text looks without being seen: bidi controls, zero-width and control characters.

They are Unicode's format characters (category Cf: U+200B–U+200F, U+202A–U+202E, U+2060–U+2069, U+FEFF,
U+00AD, U+061C, …). In an identifier they are refused (`refuse_hidden`): `t1` and `t1` followed by U+200B
would look the same and be two teams. In names and other text they are kept, and the reports people read show each
one as a visible escape (`escape_hidden`): `<U+202E>`.
"""
from __future__ import annotations

import re
import unicodedata

# Unicode 14's category Cf, as ranges (tests/test_hostile_round2.py checks it against unicodedata)
_HIDDEN = re.compile("[\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u180E\u200B-\u200F"
                     "\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\U000110BD\U000110CD"
                     "\U00013430-\U00013438\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0001"
                     "\U000E0020-\U000E007F]")

# Invisible too, but not format characters (names keep them: an emoji's variation selector is no trick):
# variation selectors, the combining grapheme joiner, Mongolian free variation selectors, Khmer inherent vowels
# and the Hangul fillers, which show as blank space. Refused in identifiers, escaped wherever the others are.
_BLANK_IN_IDS = re.compile("[\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180D\u180F\u3164\uFE00-\uFE0F\uFFA0"
                           "\U000E0100-\U000E01EF]")
# Control characters (C0 but tab, line feed and carriage return; DEL; C1): valid in a JSON string as escapes
# (`\u0000`, `\u001b`) and in a CSV cell, but in a report they are bytes a terminal acts on (ESC starts a
# sequence that can rewrite what an inspector sees) or a viewer drops (NUL). Refused in ids, escaped in reports;
# the JSON report keeps them as JSON escapes, so nothing is lost.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SHOWN = re.compile(f"{_HIDDEN.pattern}|{_BLANK_IN_IDS.pattern}|{_CONTROL.pattern}")


def refuse_hidden(value: str) -> str:
    """`value`, or ValueError naming the first hidden character and its position."""
    found = _SHOWN.search(value)
    if found:
        code = ord(found.group())
        raise ValueError(f"identifier contains the invisible character U+{code:04X} "
                         f"({unicodedata.name(found.group(), _kind(code))}) at position {found.start() + 1}")
    return value


def _kind(code: int) -> str:
    return "control character" if _CONTROL.fullmatch(chr(code)) else "format character"


def escape_hidden(text: str) -> str:
    """`text` with every hidden character (and those refused in ids) written as `<U+XXXX>`."""
    return _SHOWN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
