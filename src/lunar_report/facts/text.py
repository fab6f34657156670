"""Clean text: the characters no fact, title or parameter may hold, shared by the data schema and reports.toml.

C0 and C1 control characters (free text may hold tab, line feed and carriage return), unpaired
surrogates and U+FFFE/U+FFFF: none of them is allowed in XML (the feed) or shows in a report;
they come from pastes and binary junk. Bidirectional controls are refused where a value names
something (ids and report names are ASCII) and escaped wherever a message shows a value.
"""

from __future__ import annotations

import re

UNSAFE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
UNSAFE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
TITLE_LENGTH = 300  # characters in a title or name: one line of a page, a PDF heading, a feed entry


def describe_character(character: str) -> str:
    """A character named by its code point (U+001B), never printed raw."""
    return f"U+{ord(character):04X}"


def unsafe_character(text: str, lines: bool = False) -> str:
    """'' when `text` is clean, else what is wrong and where, e.g. "the character U+001B at position 4".

    `lines`: tab and line breaks are allowed (free text); otherwise they are refused too.
    """
    found = (UNSAFE_TEXT if lines else UNSAFE_LINE).search(text)
    if not found:
        return ""
    return f"the character {describe_character(found.group())} at position {found.start() + 1}"
