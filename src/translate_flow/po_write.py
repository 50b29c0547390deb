"""Writing PO and POT files exactly as GNU gettext writes them.

Owns the text form of a catalog: comment order, escapes and, above all, line wrapping. GNU
msgmerge, msgcat and Poedit (which uses the GNU code) break strings at Unicode line-break
opportunities (UAX #14, as implemented by libunistring) within 79 columns; polib and Babel
wrap differently, so a file written by one and re-saved by the other shows a diff on every
long paragraph. Writing byte for byte what `msgmerge` writes keeps diffs quiet whichever tool
a translator uses. Knows nothing of polib beyond the attribute names of its entries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import compress
from typing import Any, Protocol

PAGE_WIDTH = 79


class Entry(Protocol):
    """The attributes of `polib.POEntry` this writer reads."""

    msgctxt: str | None
    msgid: str
    msgid_plural: str
    msgstr: str
    msgstr_plural: dict[int, str]
    comment: str
    tcomment: str
    occurrences: list[tuple[str, str]]
    flags: list[str]
    previous_msgctxt: str | None
    previous_msgid: str | None
    previous_msgid_plural: str | None
    obsolete: bool


def po_text(*, header: str, metadata: Iterable[tuple[str, str]], fuzzy_header: bool,
            entries: Iterable[Any]) -> str:  # fmt: skip
    """The whole file: header entry, then `entries` in order, obsolete ones last."""
    chunks = [_header(header, metadata, fuzzy_header)]
    active = [e for e in entries if not e.obsolete]
    obsolete = [e for e in entries if e.obsolete]
    chunks.extend(_entry(e) for e in active)
    chunks.extend(_obsolete(e) for e in obsolete)
    return "\n".join(chunks)


def _header(header: str, metadata: Iterable[tuple[str, str]], fuzzy: bool) -> str:
    lines = [_comment("#", line) for line in header.split("\n")] if header else []
    if fuzzy:
        lines.append("#, fuzzy\n")
    value = "".join(f"{key}: {text}\n" for key, text in metadata)
    return "".join(lines) + wrap("", "msgid", "") + wrap("", "msgstr", value)


def _entry(entry: Entry) -> str:
    parts = [_comment("#", line) for line in _lines(entry.tcomment)]
    parts.extend(_comment("#.", line) for line in _lines(entry.comment))
    if entry.occurrences:
        parts.append(_references(entry.occurrences))
    parts.append(_flags(entry.flags, fuzzy_only=False))
    for name, value in _previous(entry):
        parts.append(wrap("#| ", name, value))
    parts.append(_strings(entry, ""))
    return "".join(parts)


def _obsolete(entry: Entry) -> str:
    """GNU keeps translator comments and the fuzzy flag of obsolete entries, nothing else."""
    parts = [_comment("#", line) for line in _lines(entry.tcomment)]
    parts.append(_flags(entry.flags, fuzzy_only=True))
    for name, value in _previous(entry):
        parts.append(wrap("#~| ", name, value))
    parts.append(_strings(entry, "#~ "))
    return "".join(parts)


def _strings(entry: Entry, prefix: str) -> str:
    text = ""
    if entry.msgctxt is not None:
        text += wrap(prefix, "msgctxt", entry.msgctxt)
    text += wrap(prefix, "msgid", entry.msgid)
    if entry.msgid_plural:
        text += wrap(prefix, "msgid_plural", entry.msgid_plural)
        for index in sorted(entry.msgstr_plural):
            text += wrap(prefix, f"msgstr[{index}]", entry.msgstr_plural[index])
    else:
        text += wrap(prefix, "msgstr", entry.msgstr)
    return text


def _previous(entry: Entry) -> list[tuple[str, str]]:
    fields = [
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ]
    return [(name, value) for name, value in fields if value is not None]


def _lines(text: str | None) -> list[str]:
    return text.split("\n") if text else []


def _comment(mark: str, line: str) -> str:
    return f"{mark} {line}\n" if line else f"{mark}\n"


def _flags(flags: list[str], *, fuzzy_only: bool) -> str:
    ordered = (["fuzzy"] if "fuzzy" in flags else []) + [
        flag for flag in flags if flag != "fuzzy" and not fuzzy_only
    ]
    return "#, " + ", ".join(ordered) + "\n" if ordered else ""


def _references(occurrences: list[tuple[str, str]]) -> str:
    """`#:` lines as GNU fills them: a new line when the next reference would pass column 79."""
    text, column = "#:", 2
    for path, line in occurrences:
        while path.startswith("./"):
            path = path[2:]
        reference = f"{path}:{line}" if line else path
        if column > 2 and column + len(reference) + 1 > PAGE_WIDTH:
            text += "\n#:"
            column = 2
        text += " " + reference
        column += len(reference) + 1
    return text + "\n"


# -- strings -------------------------------------------------------------------------------

_TO_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}


@lru_cache(maxsize=65536)
def wrap(prefix: str, name: str, value: str) -> str:
    """`name "value"` as GNU's write-po.c `wrap()` lays it out, each line led by `prefix`.

    Cached: the same msgid is written into the template and every language's catalog.
    """
    if _fits_on_one_line(prefix, name, value):
        return f'{prefix}{name} "{value}"\n'
    after_break = len(prefix) + 1
    width = PAGE_WIDTH - 1 - after_break
    out: list[str] = []
    first_line = True
    portions = _portions(value)
    for number, portion in enumerate(portions):
        chars, overrides = _escaped(portion)
        more = number < len(portions) - 1
        start = len(prefix) + len(name) + 2 - after_break if first_line else 0
        possible = _possible_linebreaks(chars)
        breaks = _width_linebreaks(chars, possible, overrides, width, start)
        if first_line and chars and (more or start > width or any(breaks)):
            out.append(f'{prefix}{name} ""\n')
            first_line = False
            start = 0
            breaks = _width_linebreaks(chars, possible, overrides, width, start)
        line = f"{prefix}{name} " if first_line else prefix
        cuts = [*compress(range(len(breaks)), breaks), len(chars)]
        begin = 0
        for cut in cuts:
            out.append(f'{line}"{"".join(chars[begin:cut])}"\n')
            line, begin = prefix, cut
        first_line = False
    return "".join(out)


def _fits_on_one_line(prefix: str, name: str, value: str) -> bool:
    """Short, printable, nothing to escape, no wide characters: GNU writes it as it is."""
    if len(value) >= PAGE_WIDTH - len(prefix) - len(name) - 4 or not value.isprintable():
        return False
    if '"' in value or "\\" in value:
        return False
    return value.isascii() or not any(_width(char) > 1 for char in value)


def _portions(value: str) -> list[str]:
    """`value` cut after each newline: GNU starts a new output line after every `\\n`."""
    portions: list[str] = []
    start = 0
    while True:
        end = value.find("\n", start)
        if end < 0 or end == len(value) - 1:
            portions.append(value[start:])
            return portions
        portions.append(value[start : end + 1])
        start = end + 1


def _escaped(portion: str) -> tuple[list[str], list[bool]]:
    """The escaped characters and, per character, whether a break before it is forbidden."""
    if _TO_ESCAPE.search(portion) is None:  # most strings: nothing to escape
        return list(portion), [False] * len(portion)
    chars: list[str] = []
    prohibited: list[bool] = []
    for char in portion:
        if char in _ESCAPES:
            chars += ["\\", _ESCAPES[char]]
            prohibited += [False, True]
        elif char in '\\"':
            chars += ["\\", char]
            prohibited += [False, True]
        else:
            chars.append(char)
            prohibited.append(False)
    if portion.endswith("\n"):
        prohibited[-2] = True  # never break just before the final "\n"
    return chars, prohibited


def _width_linebreaks(
    chars: list[str], possible: list[bool], prohibited: list[bool], width: int, start: int
) -> list[bool]:
    """libunistring's `ulc_width_linebreaks`: where to break so no line passes `width`.

    `possible`: `_possible_linebreaks(chars)`."""
    breaks = [False] * len(chars)
    if all(_width(char) == 1 for char in set(chars)):
        return _unit_width_linebreaks(possible, prohibited, breaks, width, start)
    last: int | None = None
    column = start
    piece = 0
    for index, char in enumerate(chars):
        can_break = possible[index] and not prohibited[index]
        if can_break:
            if last is not None and column + piece > width:
                breaks[last] = True
                column = 0
            last = index
            column += piece
            piece = 0
        piece += _width(char)
    if last is not None and column + piece > width:
        breaks[last] = True
    return breaks


def _unit_width_linebreaks(
    possible: list[bool], prohibited: list[bool], breaks: list[bool], width: int, start: int
) -> list[bool]:
    """`_width_linebreaks` when every character is one column wide (nearly every string):
    the same loop over the break opportunities only, a piece's width being its length."""
    last: int | None = None
    column = start
    previous = 0  # where the current piece starts
    for index in [i for i in compress(range(len(possible)), possible) if not prohibited[i]]:
        piece = index - previous
        if last is not None and column + piece > width:
            breaks[last] = True
            column = 0
        last = index
        column += piece
        previous = index
    if last is not None and column + len(breaks) - previous > width:
        breaks[last] = True
    return breaks


# -- UAX #14 line breaking, as libunistring 0.9/1.0 does it (pair table of UTR #14) ----------

_CLASSES = "OP CL CP QU GL NS EX SY IS PR PO NU AL ID IN HY BA BB B2 ZW CM WJ".split()  # noqa: SIM905
# Rows: the class before a break; columns: the class after. P prohibited, I indirect (a
# break only across spaces), D direct. Hangul and regional-indicator classes are left out:
# our languages do not use them, and they resolve to AL/ID below.
_PAIRS = """
OP PPPPPPPPPPPPPPPPPPPPIP
CL DPPIIPPPPIIDDDIIIDDPIP
CP DPPIIIPPPIIIIDIIIDDPIP
QU PPPIIIPPPIIIIIIIIIIPIP
GL IPPIIIPPPIIIIIIIIIIPIP
NS DPPIIIPPPDDDDDIIIDDPIP
EX DPPIIIPPPDDDDDIIIDDPIP
SY DPPIIIPPPDDIDDIIIDDPIP
IS DPPIIIPPPDDIDDIIIDDPIP
PR IPPIIIPPPDDIIIIIIDDPIP
PO IPPIIIPPPDDIIDIIIDDPIP
NU IPPIIIPPPIIIIDIIIDDPIP
AL IPPIIIPPPIIIIDIIIDDPIP
ID DPPIIIPPPDIDDDIIIDDPIP
IN DPPIIIPPPDDDDDIIIDDPIP
HY DPPIDIPPPDDIDDIIIDDPIP
BA DPPIDIPPPDDDDDIIIDDPIP
BB IPPIIIPPPIIIIIIIIIIPIP
B2 DPPIIIPPPDDDDDIIIDPPIP
ZW DDDDDDDDDDDDDDDDDDDPDD
CM IPPIIIPPPIIIIDIIIDDPIP
WJ IPPIIIPPPIIIIIIIIIIPIP
"""
_TABLE = {
    row.split()[0]: dict(zip(_CLASSES, row.split()[1], strict=True))
    for row in _PAIRS.strip().splitlines()
}

_ASCII = {
    "!": "EX", '"': "QU", "$": "PR", "%": "PO", "'": "QU", "(": "OP", ")": "CP", "+": "PR",
    ",": "IS", "-": "HY", ".": "IS", "/": "SY", ":": "IS", ";": "IS", "?": "EX", "[": "OP",
    "\\": "PR", "]": "CP", "{": "OP", "|": "BA", "}": "CL", " ": "SP", "\t": "BA",
}  # fmt: skip
_SPECIAL = {
    "\u00a0": "GL", "\u00ab": "QU", "\u00bb": "QU", "\u00ad": "BA", "\u00b0": "PO",
    "\u00a2": "PO", "\u00a3": "PR", "\u00a5": "PR", "\u00b1": "PR", "\u00b4": "BB",
    "\u2007": "GL", "\u2011": "GL", "\u202f": "GL", "\u2010": "BA", "\u2012": "BA",
    "\u2013": "BA", "\u2014": "B2", "\u2018": "QU", "\u2019": "QU", "\u201a": "OP",
    "\u201b": "QU", "\u201c": "QU", "\u201d": "QU", "\u201e": "OP", "\u201f": "QU",
    "\u2024": "IN", "\u2025": "IN", "\u2026": "IN", "\u2030": "PO", "\u2031": "PO",
    "\u2032": "PO", "\u2033": "PO", "\u2039": "QU", "\u203a": "QU", "\u2044": "IS",
    "\u20ac": "PR", "\u2116": "PR", "\u2212": "PR", "\u200b": "ZW", "\u2060": "WJ",
    "\ufeff": "WJ", "\u3000": "BA", "\u2002": "BA", "\u2003": "BA", "\u2009": "BA",
    "\u200a": "BA", "\u2008": "BA", "\u2004": "BA", "\u2005": "BA", "\u2006": "BA",
    "\u0589": "IS", "\u05be": "BA", "\u060c": "IS", "\u061b": "EX", "\u066a": "PO",
    "\u00bf": "OP", "\u00a1": "OP", "\u2022": "AL", "\u00b7": "AL", "\u00a7": "AL",
    "\u037e": "IS", "\u2027": "BA", "\u2034": "PO", "\u2035": "PO", "\u2036": "PO",
    "\u2037": "PO", "\u203c": "NS", "\u203d": "NS", "\u2047": "NS", "\u2048": "NS",
    "\u2049": "NS", "\u2056": "BA", "\u2058": "BA", "\u2059": "BA", "\u205a": "BA",
    "\u205b": "BA", "\u205d": "BA", "\u205e": "BA", "\u2103": "PO", "\u2109": "PO",
    "\u20a7": "PO", "\u20b6": "PO", "\u20bb": "PO", "\u20be": "PO", "\u2061": "AL",
    "\u2062": "AL", "\u2063": "AL", "\u2064": "AL",
}  # fmt: skip


@lru_cache(maxsize=4096)
def _line_class(char: str) -> str:
    found = _ASCII.get(char) or _SPECIAL.get(char)
    if found:
        return found
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cc", "Cf"):
        return "CM"
    if category == "Cn":
        return "AL"
    if category == "Sc":
        return "PR"
    if category == "Nd":
        return "NU"
    if category == "Ps":
        return "OP"
    if category == "Pe":
        return "CL"
    if category in ("Pi", "Pf"):
        return "QU"
    if category == "Zs":
        return "BA"
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return "ID"
    return "AL"


@lru_cache(maxsize=4096)
def _width(char: str) -> int:
    if char < " " or char == "\x7f" or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@lru_cache(maxsize=4096)
def _alphabetic(char: str) -> str:
    return "A" if _line_class(char) == "AL" else "."


_NOT_INSIDE_WORD = re.compile(r"(?<!A)A|\.")


def _possible_linebreaks(chars: list[str]) -> list[bool]:
    """Break opportunities before each character (libunistring `u8_possible_linebreaks`)."""
    possible = [False] * len(chars)
    last = "BK"  # the class of the last non-space character; BK: start of text
    spaces = False  # spaces since that character
    # A letter right after a letter (most characters) is never a break and changes no state
    # (AL AL is an indirect pair): only the other positions go through the loop.
    codes = "".join(map(_alphabetic, chars))
    for match in _NOT_INSIDE_WORD.finditer(codes):
        index = match.start()
        klass = _line_class(chars[index])
        if klass == "SP":
            spaces = True
            continue
        if klass == "ZW":
            last, spaces = "ZW", False
            continue
        if klass == "CM" and last != "ZW" and not spaces:
            continue  # a combining mark belongs to the character before it
        if last == "ZW":
            possible[index] = True
        elif last != "BK":
            rule = _TABLE[last][klass]
            possible[index] = rule == "D" or (rule == "I" and spaces)
        last = "AL" if klass == "CM" else klass  # a mark after a space stands alone (LB10)
        spaces = False
    return possible
