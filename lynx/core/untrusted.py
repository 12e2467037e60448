"""Text from elsewhere (a learner's repository, a third-party course, what a learner typed) made safe to show:
terminal control characters and bidirectional overrides become visible escapes, so nothing can move the
cursor, retitle the window, hide a line or reorder what a person reads. Rich markup is escaped by the
presentation layer (`lynx.term.console.literal`); this module knows nothing of Rich (it is in every output).
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidi and invisible formatting characters
# (LRE..RLO, LRI..PDI, LRM/RLM/ALM, zero-width joiners are kept: they shape scripts such as Devanagari).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def visible(text: str) -> str:
    """``text`` with every control character but tab and newline, and every bidi override, shown as an escape
    (ESC → ``\\x1b``, U+202E → ``\\u202e``); a carriage return too (it would overwrite the line)."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def json_safe(text: str) -> str:
    """JSON text with C1 controls and bidi overrides escaped as ``\\uXXXX`` (json.dumps keeps them raw with
    ``ensure_ascii=False``): the same data for a program, nothing a terminal acts on for a person."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _UNSAFE.search(text) else text


def unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None
