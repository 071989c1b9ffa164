"""What an identifier may hold, and how a cell is shown so that a person can read it.

An id is trimmed (surrounding whitespace) and must hold no control character (C0, C1,
DEL; tab and newline included), no zero-width character (U+200B-U+200D, U+2060, U+FEFF)
and no bidirectional control (U+202A-U+202E, U+2066-U+2069): each of these makes two
ids that look the same differ. A name keeps what people type, but no cell may hold NUL.
"""

from __future__ import annotations

import re

__all__ = ["BAD_ID", "bad_id", "visible"]

#: The characters an id may not hold.
BAD_ID = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\x00"}


def bad_id(value: str) -> bool:
    r"""Whether ``value`` holds a character no id may hold.

    >>> bad_id("F001"), bad_id("F\u200b001"), bad_id("F\t1")
    (False, True, True)
    """
    return BAD_ID.search(value) is not None


def visible(value: str) -> str:
    r"""``value`` with each character :data:`BAD_ID` names written as an escape.

    >>> visible("a\tb\u202ec\x00")
    'a\\tb\\u202ec\\x00'
    """
    return BAD_ID.sub(lambda m: _NAMED.get(m.group(), f"\\u{ord(m.group()):04x}"), value)
