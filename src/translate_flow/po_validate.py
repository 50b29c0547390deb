"""A strict reader for PO and POT files.

Owns the question "is this file exactly what it looks like?". polib silently repairs broken
files (a truncated string loses its last character, an entry without `msgstr` vanishes and
lends its references to the next one, a UTF-8 BOM disappears), and saving its result makes
the loss permanent. This reader follows GNU gettext's grammar instead and refuses what
`msgfmt -c` refuses, with the line of each fault, so `catalogs` never rewrites such a file.
It returns plain records; `catalogs` turns them into polib objects.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from functools import lru_cache

KEYWORDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|$)\s*(.*)$")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.)")
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
           "\\": "\\", '"': '"', "'": "'", "?": "?"}  # fmt: skip
_CONFLICT = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")


class PoSyntaxError(Exception):
    """A fault at a line of the file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class RawEntry:
    """One entry as written in the file."""

    line: int
    obsolete: bool = False
    tcomment: list[str] = field(default_factory=list)
    comment: list[str] = field(default_factory=list)
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)  # keyword or "msgstr[N]" → text
    msgid_line: int = 0

    @property
    def msgid(self) -> str:
        return self.strings.get("msgid", "")

    @property
    def msgctxt(self) -> str | None:
        return self.strings.get("msgctxt")

    @property
    def plural_forms(self) -> dict[int, str]:
        return {
            int(key[7:-1]): value
            for key, value in self.strings.items()
            if key.startswith("msgstr[")
        }


def read_po(text: str) -> list[RawEntry]:
    """Every entry of `text`, header first; raises PoSyntaxError at the first fault."""
    if text.startswith("\ufeff"):
        raise PoSyntaxError(1, "the file starts with a UTF-8 byte order mark; remove it")
    if "\x00" in text:
        raise PoSyntaxError(text[: text.index("\x00")].count("\n") + 1, "contains a NUL byte")
    entries = _read_canonical(text)
    if entries is None:
        entries = _read_lines(text)
    _check_entries(entries)
    return entries


def _read_lines(text: str) -> list[RawEntry]:
    """Every entry of `text`, read line by line with GNU's grammar; raises at the first fault."""
    reader = _Reader()
    lines = text.split("\n")
    for number, raw in enumerate(lines, start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if "\r" in line:
            raise PoSyntaxError(number, "stray carriage return inside a line")
        reader.feed(number, line)
    return reader.finish(len(lines))


def header_fields(header: RawEntry) -> dict[str, str]:
    """The `Key: value` lines of a header entry's msgstr."""
    fields = {}
    for line in header.strings.get("msgstr", "").split("\n"):
        if not line:
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise PoSyntaxError(header.msgid_line, f"header line {line!r} has no `Key: value` form")
        fields[key.strip()] = value.removeprefix(" ")
    return fields


# -- the fast path: files in the layout GNU tools and `po_write` produce ------------------------
#
# Reading line by line costs a few Python calls per line, and a catalog is mostly string
# lines. Nearly every file the tool reads is laid out the way GNU msgmerge (and `po_write`)
# writes it, so one regex matches a whole entry of that layout and the C regex engine does
# the per-line work. The layout is a strict subset of what `_Reader` accepts: lines start in
# column 0 and end at their closing quote, one space after each keyword or `#~`/`#|` mark,
# keywords in GNU's order each once, no carriage return. For such an entry `_Reader` takes
# the same steps the code below takes, so the records are the same. Anything else (a fault,
# CRLF, spaces around a line, comments after the last entry, an escape `_unescape` refuses)
# makes `_read_canonical` give up, and `_read_lines` reads the file again and finds the fault
# with its line: the fast path never raises, so every refusal and message stays `_Reader`'s.

# The inside of a quoted string on one line (`.` excludes \n), _STRING's `(?:[^"\\]|\\.)*`
# unrolled so that sre scans runs of plain characters in one step.
_S = r'[^"\\\n]*(?:\\.[^"\\\n]*)*'
_CANONICAL_ENTRY = re.compile(
    rf"""
    \n*                                             # blank lines
    (?P<start>)
    (?P<comments>(?:
        \#(?:[^~|\n][^\n]*)?\n                      # a comment: `#`, `# x`, `#.`, `#:`, `#,`
      | \#~?\|\ (?:msgctxt|msgid_plural|msgid)\ "{_S}"\n(?:\#~?\|\ "{_S}"\n)*  # `#|`, `#~|`
    )*)
    (?P<mark>(?:\#~\ )?)                            # obsolete: every keyword line has `#~ `
    (?:msgctxt\ "(?P<msgctxt>{_S}(?:"\n(?P=mark)"{_S})*)"\n(?P=mark))?
    (?P<msgid_at>)msgid\ "(?P<msgid>{_S}(?:"\n(?P=mark)"{_S})*)"\n
    (?:
        (?P=mark)msgid_plural\ "(?P<msgid_plural>{_S}(?:"\n(?P=mark)"{_S})*)"\n
        (?P<plurals>(?:(?P=mark)msgstr\[[0-9]+\]\ "{_S}(?:"\n(?P=mark)"{_S})*"\n)+)
      | (?P=mark)msgstr\ "(?P<msgstr>{_S}(?:"\n(?P=mark)"{_S})*)"\n
    )
    """,
    re.VERBOSE,
)
_CANONICAL_PLURAL = re.compile(
    rf'(?:\#~\ )?msgstr\[([0-9]+)\]\ "({_S}(?:"\n(?:\#~\ )?"{_S})*)"\n', re.VERBOSE
)
_CANONICAL_PREVIOUS = re.compile(r'#~?\| (?:(msgctxt|msgid_plural|msgid) )?"(.*)"')
_BLANK_END = re.compile(r"\n*\Z")


class _NotCanonical(Exception):
    """The file is not in the canonical layout; `_read_lines` must read it."""


def _read_canonical(text: str) -> list[RawEntry] | None:
    """The entries of `text` if every one is in GNU's layout (see above), else None."""
    if "\r" in text:
        return None
    if not text.endswith("\n"):
        text += "\n"  # the last line reads the same with or without its newline
    entries: list[RawEntry] = []
    line, counted = 1, 0  # `line` is the number of the line that starts at offset `counted`
    position = 0
    try:
        while (match := _CANONICAL_ENTRY.match(text, position)) is not None:
            start, msgid_at = match.start("start"), match.start("msgid_at")
            line += text.count("\n", counted, start)
            entry = RawEntry(
                line=line,
                obsolete=bool(match["mark"]),
                msgid_line=line + text.count("\n", start, msgid_at),
            )
            line, counted = entry.msgid_line, msgid_at
            if match["comments"]:
                _canonical_comments(entry, match["comments"])
            _canonical_strings(entry, match)
            entries.append(entry)
            position = match.end()
    except _NotCanonical:
        return None
    if _BLANK_END.match(text, position) is None:
        return None
    return entries


def _canonical_comments(entry: RawEntry, comments: str) -> None:
    key = ""
    for line in comments[:-1].split("\n"):
        if line[1:2] not in ("|", "~"):  # the layout allows `#~` only as `#~|`
            _add_comment(entry, line)
            continue
        match = _CANONICAL_PREVIOUS.fullmatch(line)
        assert match is not None  # the entry regex matched this line already
        keyword, text = match.groups()
        if keyword is None:
            entry.previous[key] += _decode(text)  # a continuation: `#| "…"`
        else:
            key = keyword
            entry.previous[key] = _decode(text)  # a repeated keyword wins, as in _Reader


def _canonical_strings(entry: RawEntry, match: re.Match[str]) -> None:
    # The strings of one keyword, as one slice of the file: the lines' insides joined by
    # `"\n"` (`"\n#~ "` in an obsolete entry). An inside holds no newline and a `"` only as
    # `\"`, so every occurrence of that separator is one line break, and nothing else is.
    separator = f'"\n{match["mark"]}"'
    strings = entry.strings
    if match["msgctxt"] is not None:
        strings["msgctxt"] = _decode(match["msgctxt"], separator)
    strings["msgid"] = _decode(match["msgid"], separator)
    if match["msgid_plural"] is None:
        strings["msgstr"] = _decode(match["msgstr"], separator)
        return
    strings["msgid_plural"] = _decode(match["msgid_plural"], separator)
    for index, text in _CANONICAL_PLURAL.findall(match["plurals"]):
        key = f"msgstr[{index}]"
        if key in strings:
            raise _NotCanonical  # _Reader refuses a repeated msgstr[N]
        strings[key] = _decode(text, separator)


def _decode(text: str, separator: str = '"\n"') -> str:
    """The insides of string lines joined by `separator`, decoded: `_string` of each line."""
    if "\\" not in text:
        return text.replace(separator, "")
    try:
        # Escapes are decoded line by line, as _Reader does: `\x4` + `1` is not `\x41`.
        return "".join(
            _ESCAPE.sub(lambda m: _unescape(0, m.group(1)), part) for part in text.split(separator)
        )
    except (PoSyntaxError, ValueError, OverflowError) as err:
        raise _NotCanonical from err  # _Reader finds the bad escape and its line


class _Reader:
    """GNU's grammar, one line at a time: comments, then keywords each with 1+ strings."""

    def __init__(self) -> None:
        self.entries: list[RawEntry] = []
        self.entry: RawEntry | None = None
        self.key: str | None = None  # the keyword whose strings are being read
        self.previous = False  # reading `#|` lines

    def feed(self, number: int, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            return
        if stripped.startswith(_CONFLICT):
            raise PoSyntaxError(number, "git merge conflict marker; resolve the conflict first")
        if line.startswith("#~"):
            self._obsolete_line(number, line[2:].lstrip(" "))
        elif line.startswith("#|"):
            self._keyword_line(number, line[2:].lstrip(" "), previous=True)
        elif line.startswith("#"):
            self._comment(number, line)
        else:
            self._keyword_line(number, stripped, previous=False)

    def finish(self, last_line: int) -> list[RawEntry]:
        if self.entry is not None:
            self._close(last_line, at_end=True)
        return self.entries

    def _obsolete_line(self, number: int, rest: str) -> None:
        if rest.startswith("|"):
            self._keyword_line(number, rest[1:].lstrip(" "), previous=True, obsolete=True)
        elif rest.startswith("#"):
            self._comment(number, rest)
        else:
            self._keyword_line(number, rest, previous=False, obsolete=True)

    def _comment(self, number: int, line: str) -> None:
        _add_comment(self._entry_for_comment(number), line)

    def _entry_for_comment(self, number: int) -> RawEntry:
        if self.entry is not None and "msgid" in self.entry.strings:
            self._close(number)
        if self.entry is None:
            self.entry = RawEntry(line=number)
        return self.entry

    def _keyword_line(
        self, number: int, line: str, *, previous: bool, obsolete: bool = False
    ) -> None:
        if line.startswith('"'):
            self._continuation(number, line, previous)
            return
        match = _KEYWORD.match(line)
        if match is None:
            word = line.split()[0] if line.split() else line
            raise PoSyntaxError(number, f"unknown keyword {word!r}")
        key = match.group(1)
        text = _string(number, match.group(3))
        if previous:
            entry = self._entry_for_comment(number)
            entry.previous[key] = text
            self.key, self.previous = key, True
            return
        self._start_keyword(number, key, obsolete)
        assert self.entry is not None
        self.entry.strings[key] = text
        self.key, self.previous = key, False

    def _start_keyword(self, number: int, key: str, obsolete: bool) -> None:
        entry = self.entry
        if entry is not None and key in ("msgctxt", "msgid") and _has_msgstr(entry):
            self._close(number)
            entry = None
        if entry is None:
            entry = self.entry = RawEntry(line=number)
        if key in ("msgctxt", "msgid") and entry.strings:
            if "msgid" in entry.strings:
                raise PoSyntaxError(
                    entry.msgid_line, 'this msgid has no msgstr; add `msgstr ""` after it'
                )
            if key == "msgctxt":
                raise PoSyntaxError(number, "a second msgctxt in one entry")
        if key != "msgctxt" and key != "msgid" and "msgid" not in entry.strings:
            raise PoSyntaxError(number, f"{key} without a msgid before it")
        if key == "msgid":
            entry.msgid_line = number
            entry.obsolete = obsolete
        elif entry.obsolete != obsolete and "msgid" in entry.strings:
            raise PoSyntaxError(number, "an entry mixes obsolete (#~) and active lines")
        if key in entry.strings:
            raise PoSyntaxError(number, f"{key} appears twice in one entry")

    def _continuation(self, number: int, line: str, previous: bool) -> None:
        if self.entry is None or self.key is None or previous != self.previous:
            raise PoSyntaxError(number, "a string with no keyword before it")
        text = _string(number, line)
        target = self.entry.previous if previous else self.entry.strings
        target[self.key] += text

    def _close(self, number: int, *, at_end: bool = False) -> None:
        entry = self.entry
        assert entry is not None
        if "msgid" not in entry.strings:
            if at_end and not entry.strings and not entry.previous:
                self.entry = None  # trailing comments: gettext ignores them
                return
            raise PoSyntaxError(number, "comments or msgctxt without an entry after them")
        if not _has_msgstr(entry):
            where = "the file ends before" if at_end else "missing"
            raise PoSyntaxError(
                entry.msgid_line,
                f"{where} the msgstr of this entry (a truncated or hand-edited file?)",
            )
        plural = "msgid_plural" in entry.strings
        if plural and "msgstr" in entry.strings:
            raise PoSyntaxError(entry.msgid_line, "msgid_plural needs msgstr[0], msgstr[1]…")
        if not plural and entry.plural_forms:
            raise PoSyntaxError(entry.msgid_line, "msgstr[N] without a msgid_plural")
        self.entries.append(entry)
        self.entry = None
        self.key = None


def _add_comment(entry: RawEntry, line: str) -> None:
    """A `#` line other than `#~` and `#|`: translator or extracted comment, references, flags."""
    mark, text = line[:2], line[2:].removeprefix(" ")
    if mark == "#.":
        entry.comment.append(text)
    elif mark == "#:":
        entry.occurrences.extend(_reference(part) for part in text.split())
    elif mark == "#,":
        entry.flags.extend(f.strip() for f in text.split(",") if f.strip())
    else:
        entry.tcomment.append(line[1:].removeprefix(" "))


def _has_msgstr(entry: RawEntry) -> bool:
    return any(key == "msgstr" or key.startswith("msgstr[") for key in entry.strings)


def _reference(part: str) -> tuple[str, str]:
    path, colon, line = part.rpartition(":")
    if colon and line.isdigit():
        return path, line
    return part, ""


def _string(number: int, text: str) -> str:
    match = _STRING.match(text)
    if match is None:
        if not text.startswith('"'):
            raise PoSyntaxError(number, "a keyword must be followed by a quoted string")
        if _STRING.match(text + '"') or not re.match(r'"(?:[^"\\]|\\.)*"', text):
            raise PoSyntaxError(number, "end of line within a string (missing closing quote)")
        raise PoSyntaxError(number, "unescaped double quote or text after the string")
    return _ESCAPE.sub(lambda m: _unescape(number, m.group(1)), match.group(1))


def _unescape(number: int, code: str) -> str:
    if code in _SIMPLE:
        return _SIMPLE[code]
    value = -1
    if code[0] in "01234567":
        value = int(code, 8)
    elif code[0] == "x":
        value = int(code[1:], 16)
    # Not a character (past U+10FFFF, or a UTF-16 surrogate no file can hold): refused here,
    # rather than failing later with a traceback when the catalog is written.
    if 0 <= value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF:
        return chr(value)
    raise PoSyntaxError(number, f"invalid escape sequence \\{code}")


def _check_entries(entries: list[RawEntry]) -> None:
    if not entries or entries[0].msgid != "" or entries[0].msgctxt is not None:
        raise PoSyntaxError(1, "no header entry (msgid \"\" with the Content-Type); "
                            "the file is empty or truncated")  # fmt: skip
    header = entries[0]
    fields = header_fields(header)
    _check_charset(header, fields)
    nplurals = _check_plural_forms(header, fields)
    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries[1:]:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise PoSyntaxError(
                entry.msgid_line,
                f"duplicate message definition; the first is at line {seen[key]}",
            )
        seen[key] = entry.msgid_line
        forms = entry.plural_forms
        _check_plurals(entry, forms, nplurals)
        _check_newlines(entry, forms)


def _check_charset(header: RawEntry, fields: dict[str, str]) -> None:
    content_type = fields.get("Content-Type", "")
    charset = content_type.partition("charset=")[2].strip().lower()
    if charset not in ("utf-8", "utf8"):
        found = charset or "missing"
        raise PoSyntaxError(
            header.msgid_line,
            f"the charset in Content-Type is {found}; it must be UTF-8 "
            "(`Content-Type: text/plain; charset=UTF-8`)",
        )


def _check_plural_forms(header: RawEntry, fields: dict[str, str]) -> int | None:
    text = fields.get("Plural-Forms")
    if text is None:
        return None
    match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*", text)
    if match is None:
        raise PoSyntaxError(header.msgid_line, f"invalid Plural-Forms {text!r}")
    nplurals = int(match.group(1))
    values = _plural_values(match.group(2))
    if isinstance(values, str):
        raise PoSyntaxError(header.msgid_line, f"invalid plural expression: {values}")
    if nplurals < 1 or max(values) >= nplurals:
        raise PoSyntaxError(
            header.msgid_line, f"the plural expression gives values as large as {max(values)} "
            f"but nplurals = {nplurals}"
        )  # fmt: skip
    return nplurals


@lru_cache(maxsize=64)
def _plural_values(expression: str) -> frozenset[int] | str:
    """The values of a C plural expression for n = 0…999, or why it is invalid."""
    try:
        rule = gettext.c2py(expression)
        return frozenset(rule(n) for n in range(1000))
    except (ValueError, ZeroDivisionError, RecursionError) as err:
        return str(err)


def _check_plurals(entry: RawEntry, forms: dict[int, str], nplurals: int | None) -> None:
    if not forms:
        return
    expected = set(range(nplurals if nplurals is not None else 2))
    if set(forms) != expected:
        raise PoSyntaxError(
            entry.msgid_line,
            f"has msgstr{sorted(forms)} but the header's Plural-Forms needs "
            f"msgstr[0] to msgstr[{max(expected)}]",
        )


def _check_newlines(entry: RawEntry, forms: dict[int, str]) -> None:
    """`msgfmt -c`: a translation begins and ends with a newline exactly when its msgid does."""
    if "fuzzy" in entry.flags:
        return
    translations = [entry.strings.get("msgstr", ""), *forms.values()]
    for text in translations:
        if not text:
            continue
        for where, test in (("begin", str.startswith), ("end", str.endswith)):
            if test(entry.msgid, "\n") != test(text, "\n"):
                raise PoSyntaxError(
                    entry.msgid_line, f"msgid and msgstr do not both {where} with a newline"
                )
