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


def visible(text: str) -> str:
    """The text with every control character (and noncharacter) replaced by one visible character."""
    return text.translate(TABLE)


def finalize(value: Any) -> Any:
    """Jinja's finalize hook: every plain string a template outputs is made visible before it is escaped.

    Markup (what a macro or filter has already built from finalized values) passes unchanged.
    """
    return visible(value) if type(value) is str else value


# In a <script> element, "</" (or "<!--") would end or change it, and DEL is an HTML parse error: all escaped.
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\x7f": "\\u007f", "'": "\\u0027"})


def script_json(value: Any) -> Markup:
    """A value as JSON safe inside <script type="application/json">: ASCII only, no markup characters."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=False, separators=(",", ":"), allow_nan=False)
    return Markup(text.translate(_SCRIPT_ESCAPES))
