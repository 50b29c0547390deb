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
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate
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
_ESCAPE = str.maketrans({
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
    "\\": "\\\\", '"': '\\"',
})  # fmt: skip
_ESCAPE_PAIR = re.compile(r"\\.")


@lru_cache(maxsize=65536)
def wrap(prefix: str, name: str, value: str) -> str:
    """`name "value"` as GNU's write-po.c `wrap()` lays it out, each line led by `prefix`.

    Cached: the same msgid is written into the template and every language's catalog.
    """
    if _fits_on_one_line(prefix, name, value):
        return f'{prefix}{name} "{value}"\n'
    width = _text_width(prefix)
    first, *rest = _portions(value)
    layout = _Layout(*_escaped(first))
    start = len(name) + 1  # where the text starts on the keyword line, past the indent
    if not rest and (not layout.text or (start <= width and not layout.cuts(width, start))):
        return f'{prefix}{name} "{layout.text}"\n'
    lines = [f'{prefix}{name} ""\n', _broken_lines(prefix, layout)]
    lines.extend(_continued(prefix, portion) for portion in rest)
    return "".join(lines)


def _text_width(prefix: str) -> int:
    """The columns for text on a line led by `prefix` and a quote (GNU keeps column 79 free)."""
    return PAGE_WIDTH - 2 - len(prefix)


def _broken_lines(prefix: str, layout: _Layout) -> str:
    """A portion on lines of its own, each led by `prefix`."""
    text = layout.text
    out: list[str] = []
    begin = 0
    for cut in [*layout.cuts(_text_width(prefix), 0), len(text)]:
        out.append(f'{prefix}"{text[begin:cut]}"\n')
        begin = cut
    return "".join(out)


@lru_cache(maxsize=4096)
def _continued(prefix: str, portion: str) -> str:
    """`_broken_lines` of a later portion; cached, as header lines repeat in every file."""
    return _broken_lines(prefix, _Layout(*_escaped(portion)))


def _fits_on_one_line(prefix: str, name: str, value: str) -> bool:
    """Short, printable, nothing to escape, no wide characters: GNU writes it as it is."""
    if len(value) >= PAGE_WIDTH - len(prefix) - len(name) - 4 or not value.isprintable():
        return False
    if '"' in value or "\\" in value:
        return False
    if value.isascii() or _maybe_not_narrow().search(value) is None:
        return True
    return not any(_width(char) > 1 for char in value)


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


def _escaped(portion: str) -> tuple[str, frozenset[int]]:
    """The escaped text and the indices in it before which a break is forbidden.

    A break is forbidden inside an escape (`\\` `n`) and before the final `\\n`. Every
    backslash of the escaped text starts an escape (a backslash of the portion became two),
    so reading it two characters at a time from each backslash finds every escape.
    """
    if _TO_ESCAPE.search(portion) is None:  # most strings: nothing to escape
        return portion, frozenset()
    text = portion.translate(_ESCAPE)
    prohibited = {pair.start() + 1 for pair in _ESCAPE_PAIR.finditer(text)}
    if portion.endswith("\n"):
        prohibited.add(len(text) - 2)  # never break just before the final "\n"
    return text, frozenset(prohibited)


class _Layout:
    """Where libunistring's `ulc_width_linebreaks` breaks one escaped portion.

    GNU's loop walks the break opportunities keeping the column; when the next opportunity
    would end past `width`, it breaks at the previous one (or at the first one of the line,
    if even that one is too far). `cuts` finds the same breaks by bisecting the columns of
    the opportunities, one step per output line instead of one per opportunity.
    """

    def __init__(self, text: str, prohibited: frozenset[int]) -> None:
        self.text = text
        self.prohibited = prohibited
        self.widths = None if _all_narrow(text) else [_width(char) for char in text]
        self.total = len(text) if self.widths is None else sum(self.widths)
        self.opportunities: list[int] | None = None  # indices, computed on first need
        self.columns: list[int] = []  # the column of each opportunity, from the portion start

    def cuts(self, width: int, start: int) -> list[int]:
        """The indices to break before, the first line starting at column `start`."""
        # GNU breaks only where a column passes `width`, and until its first break the column
        # at an index is `start` plus the width of the text before it: a portion whose whole
        # width fits after `start` is never broken (the loop below would not run once), so
        # it needs no break opportunities. Most portions, and every header line, fit.
        if self.total <= width - start:
            return []
        opportunities, columns = self._opportunities()
        cuts: list[int] = []
        next_index = 0  # the first opportunity after the start of the line
        limit = width - start  # the furthest column the line may reach
        while self.total > limit and next_index < len(opportunities):
            fitting = bisect_right(columns, limit)  # opportunities[:fitting] fit on the line
            chosen = max(fitting - 1, next_index)
            cuts.append(opportunities[chosen])
            next_index = chosen + 1
            limit = columns[chosen] + width
        return cuts

    def _opportunities(self) -> tuple[list[int], list[int]]:
        if self.opportunities is None:
            possible = _possible_linebreaks(self.text)
            if self.prohibited:
                possible = [index for index in possible if index not in self.prohibited]
            self.opportunities = possible
            if self.widths is None:
                self.columns = self.opportunities  # one column per character
            else:
                offsets = list(accumulate(self.widths, initial=0))
                self.columns = [offsets[index] for index in self.opportunities]
        return self.opportunities, self.columns


def _all_narrow(text: str) -> bool:
    """Whether every character of `text` takes exactly one column."""
    if text.isascii():
        return text.isprintable()  # the ASCII controls take no column
    if _maybe_not_narrow().search(text) is None:
        return True
    return all(_width(char) == 1 for char in set(text))


@lru_cache(maxsize=1)
def _maybe_not_narrow() -> re.Pattern[str]:
    """Matches any character that may not take one column: those below U+3000 that `_width`
    does not count as one column, and all from U+3000 on (CJK and beyond, left to `_width`).
    Built on first use from the same `unicodedata` as `_width`; a whole text is then tested
    in C, not character by character."""
    codes = [code for code in range(0x3000) if _width.__wrapped__(chr(code)) != 1]
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    ranges.append([0x3000, 0x10FFFF])
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


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


def _possible_linebreaks(text: str) -> list[int]:
    """The indices before which `text` may break (libunistring `u8_possible_linebreaks`).

    Only a space (class SP) separates two words, and the state the pair-table walk carries
    past a word's first character does not depend on what came before it (see `_word`): so
    each distinct word is walked once, and a text is its words put together.
    """
    words = text.split(" ")
    first, last = _first_word(words[0])
    breaks = list(first)
    position = len(words[0]) + 1
    for word in words[1:]:
        if word:  # an empty word: one more space, which changes nothing
            after, inside, word_last = _word(word)
            if last in after:
                breaks.append(position)
            if inside:
                breaks.extend([position + index for index in inside])
            last = word_last
        position += len(word) + 1
    return breaks


@lru_cache(maxsize=4096)
def _first_word(word: str) -> tuple[tuple[int, ...], str]:
    """The breaks inside the text's first word and the class it leaves as the last one."""
    breaks, last = _walk(word, last="BK", spaces=False)
    return tuple(breaks), last


@lru_cache(maxsize=65536)
def _word(word: str) -> tuple[frozenset[str], tuple[int, ...], str]:
    """A word after spaces: the classes of the last non-space character before it that allow
    a break before it, the breaks inside it, and the class it leaves as the last one.

    After spaces, `_walk` never skips the word's first character (LB10: a mark there stands
    alone) and leaves the state (its class, or AL for a mark; no spaces) whatever came
    before: so the rest of the word walks the same after any text.
    """
    klass = _line_class(word[0])
    # `_walk` over (spaces, first character): never a break before ZW; always one after ZW;
    # else the pair table, where an indirect break counts (spaces came); none after "BK".
    after = frozenset(
        last for last in _TABLE if klass != "ZW" and (last == "ZW" or _TABLE[last][klass] in "DI")
    )
    breaks, last = _walk(word[1:], last="AL" if klass == "CM" else klass, spaces=False)
    return after, tuple(index + 1 for index in breaks), last


def _walk(text: str, *, last: str, spaces: bool) -> tuple[list[int], str]:
    """The pair-table walk over `text` from state (`last`, `spaces`): the indices with a
    break opportunity before them, and `last` at the end. `last` is the class of the last
    non-space character; "BK" at the start of the text."""
    breaks: list[int] = []
    for index, char in enumerate(text):
        klass = _line_class(char)
        if klass == "SP":
            spaces = True
            continue
        if klass == "ZW":
            last, spaces = "ZW", False
            continue
        if klass == "CM" and last != "ZW" and not spaces:
            continue  # a combining mark belongs to the character before it
        if last == "ZW":
            breaks.append(index)
        elif last != "BK":
            rule = _TABLE[last][klass]
            if rule == "D" or (rule == "I" and spaces):
                breaks.append(index)
        last = "AL" if klass == "CM" else klass  # a mark after a space stands alone (LB10)
        spaces = False
    return breaks, last
