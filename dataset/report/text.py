"""What a page shows of a string: control characters made visible, one character for one, never raw.

NUL, VT, RS and the other C0 and C1 controls are errors in HTML, and the parser changes some of them (NUL is
dropped or replaced, CR becomes LF), so a seed or an annotation that holds one would be drawn wrong, or not at
all. Every string the templates output passes through `visible`: C0 controls (but tab and line feed, which the
text's layout needs) and DEL become their Unicode Control Pictures (U+2400-U+2421, e.g. NUL as U+2400 "␀"); C1
controls and noncharacters, which have no picture, become U+FFFD. One character stands for one, so every drawn
span keeps its length and its offsets still line up with the text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup

KEPT = frozenset("\t\n")  # layout the seed text needs; drawn as they are (the text is white-space: pre-wrap)
REPLACEMENT = 0xFFFD


def _table() -> dict[int, int]:
    table = {code: 0x2400 + code for code in range(0x20) if chr(code) not in KEPT}
    table[0x7F] = 0x2421
    table.update({code: REPLACEMENT for code in range(0x80, 0xA0)})
    planes = range(0, 0x110000, 0x10000)
    noncharacters = [*range(0xFDD0, 0xFDF0), *(plane + low for plane in planes for low in (0xFFFE, 0xFFFF))]
    table.update({code: REPLACEMENT for code in noncharacters})
    return table


TABLE = _table()


def _character_class(codes: list[int]) -> re.Pattern[str]:
    """One regular-expression class of ranges: a scan for any of the codes at the speed of the regex engine."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = (re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
    return re.compile("[" + "".join(parts) + "]")


_HIDDEN = _character_class(list(TABLE))


def visible(text: str) -> str:
    """The text with every control character (and noncharacter) replaced by one visible character."""
    return text.translate(TABLE) if _HIDDEN.search(text) else text  # a scan is far cheaper than a translation


def finalize(value: Any) -> Any:
    """Jinja's finalize hook: every plain string a template outputs is made visible before it is escaped.

    Markup (what a macro or filter has already built from finalized values) passes unchanged.
    """
    return visible(value) if type(value) is str else value


# In a <script> element "</" (or "<!--") would end or change it, and the controls JSON leaves as they are (DEL,
# C1) and noncharacters are HTML parse errors: all escaped, as JSON escapes (the script reads the same value).
def _json_escape(code: int) -> str:
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # a surrogate pair, as JSON writes a character beyond the BMP
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


_SCRIPT_ESCAPES = {code: _json_escape(code) for code in [*map(ord, "<>&'"), *(c for c in TABLE if c >= 0x7F)]}
_SCRIPT_HIDDEN = _character_class(list(_SCRIPT_ESCAPES))


def script_json(value: Any) -> Markup:
    """A value as JSON safe inside <script type="application/json">, in UTF-8 like the page, markup escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(_SCRIPT_HIDDEN.sub(lambda found: _SCRIPT_ESCAPES[ord(found.group())], text))
