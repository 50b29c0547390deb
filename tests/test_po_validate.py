"""The strict reader refuses what polib silently repairs (reliability.md, part B2)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from msgfmt import MSGFMT, msgfmt_check

from translate_flow import catalogs, po_validate
from translate_flow.errors import CatalogError

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : '
    'n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
)
GOOD = 'msgid "First paragraph."\nmsgstr "Первый абзац."\n\n'

# name → (file text, line of the fault, words of the message)
BROKEN = {
    "unterminated string": (HEADER + GOOD + 'msgid "Second."\nmsgstr "Второй абзац.\n', 10,
                            "missing closing quote"),
    "truncated mid-entry": (HEADER + GOOD + 'msgid "Thir', 9, "missing closing quote"),
    "truncated before msgstr": (HEADER + GOOD + 'msgid "Third."\n', 9, "msgstr"),
    "entry without msgstr": (HEADER + 'msgid "One."\n\n#: a.rst:3\n' + GOOD, 6, "msgstr"),
    "bad escape": (HEADER + 'msgid "a"\nmsgstr "\\q"\n', 7, "invalid escape"),
    "escape past Unicode": (HEADER + 'msgid "a"\nmsgstr "\\x110000"\n', 7, "invalid escape"),
    "surrogate escape": (HEADER + 'msgid "a"\nmsgstr "\\xd800"\n', 7, "invalid escape"),
    "duplicate msgid": (HEADER + GOOD + GOOD, 9, "first is at line 6"),
    "too few plural forms": (HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\n'
                             'msgstr[1] "y"\n', 6, "msgstr[0] to msgstr[2]"),
    "plural index too large": (HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\n'
                               'msgstr[1] "y"\nmsgstr[2] "z"\nmsgstr[5] "w"\n', 6, "msgstr[2]"),
    "broken plural expression": (HEADER.replace("(n%10==1", "(n%10==1 (") + GOOD, 1,
                                 "plural expression"),
    "no header": (GOOD, 1, "no header entry"),
    "empty file": ("", 1, "no header entry"),
    "charset placeholder": (HEADER.replace("UTF-8", "CHARSET") + GOOD, 1, "charset"),
    "unknown keyword": (HEADER + 'msgid "a"\nmsgtsr "b"\n', 7, "msgtsr"),
    "conflict markers": (HEADER + "<<<<<<< HEAD\n" + GOOD, 6, "conflict"),
    "unescaped quote": (HEADER + 'msgid "a"\nmsgstr "say "hi""\n', 7, "double quote"),
    "trailing backslash": (HEADER + 'msgid "a"\nmsgstr "абзац\\"\n', 7, "missing closing quote"),
    "plural msgid with plain msgstr": (HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr "x"\n',
                                       6, "msgid_plural"),
    "newline mismatch": (HEADER + 'msgid "a\\n"\nmsgstr "b"\n', 6, "newline"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_catalog_is_refused_with_its_line(name: str, tmp_path: Path) -> None:
    text, line, words = BROKEN[name]
    path = tmp_path / "broken.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        catalogs.load_catalog(path)
    assert raised.value.line == line
    assert words in raised.value.message
    assert str(raised.value).startswith(f"{path}:{line}: error: ")


# msgfmt only warns about these; we refuse them because a rewrite would guess.
# msgfmt reads a numeric escape as one byte, so it accepts these; a character they are not.
STRICTER_THAN_MSGFMT = {"charset placeholder", "escape past Unicode", "surrogate escape"}


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("name", sorted(set(BROKEN) - STRICTER_THAN_MSGFMT))
def test_msgfmt_rejects_what_we_refuse(name: str, tmp_path: Path) -> None:
    text, _, _ = BROKEN[name]
    path = tmp_path / "broken.po"
    path.write_text(text, encoding="utf-8")
    assert msgfmt_check(path).returncode != 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xef\xbb\xbf" + (HEADER + GOOD).encode(), "byte order mark"),
        ((HEADER + GOOD).encode().replace("Первый".encode(), b"\xdf\xe9"), "UTF-8"),
        ((HEADER + 'msgid "a"\nmsgstr "b\\0c"\n').encode().replace(b"\\0", b"\0"), "NUL"),
    ],
)
def test_bytes_polib_would_accept_are_refused(data: bytes, words: str) -> None:
    with pytest.raises(CatalogError, match=words):
        catalogs.parse_catalog(data, path="x.po")


def test_good_catalog_reads_back_exactly() -> None:
    header = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    text = (
        header + "# translator\n#. paragraph\n#: a.rst:3 b.rst:4\n#, fuzzy\n"
        '#| msgid "Old."\nmsgid "First."\nmsgstr "Первый."\n\n'
        '#~ msgid "Gone."\n#~ msgstr "Ушёл."\n'
    )
    po = catalogs.parse_catalog(text.encode(), path="x.po")
    entry = po[0]
    assert (entry.tcomment, entry.comment, entry.flags) == ("translator", "paragraph", ["fuzzy"])
    assert entry.occurrences == [("a.rst", "3"), ("b.rst", "4")]
    assert entry.previous_msgid == "Old."
    assert po[1].obsolete and po[1].msgstr == "Ушёл."
    assert catalogs.render(po) == text


def test_crlf_line_endings_are_read() -> None:
    po = catalogs.parse_catalog((HEADER + GOOD).replace("\n", "\r\n").encode(), path="x.po")
    assert po[0].msgstr == "Первый абзац."


# -- the fast path for files in GNU's layout -------------------------------------------------

# Every construct of GNU's layout, with escapes that must be decoded line by line.
GNU_LAYOUT = HEADER + (
    "# translator\n#. extracted\n#: a.rst:3 b.rst\n#, fuzzy, c-format\n"
    '#| msgctxt "old context"\n#| msgid "Old "\n#| "text."\n'
    'msgctxt "menu"\nmsgid ""\n"Multi \\"quoted\\"\\n"\n"line \\x4"\n"1 end.\\\\"\n'
    'msgstr "Перевод"\n\n'
    'msgid "One file"\nmsgid_plural "%d files"\nmsgstr[0] "один"\nmsgstr[1] ""\n"два"\n'
    'msgstr[2] "много"\n'
    'msgid "Next entry, no blank line."\nmsgstr ""\n\n'
    '#\n# kept\n#, fuzzy\n#~| msgid "Older."\n'
    '#~ msgctxt "c"\n#~ msgid "Gone "\n#~ "away."\n#~ msgstr "Ушёл."\n'
)


def test_gnu_layout_reads_as_the_line_reader_reads_it() -> None:
    fast = po_validate._read_canonical(GNU_LAYOUT)
    assert fast is not None
    assert fast == po_validate._read_lines(GNU_LAYOUT)  # every field, line numbers included
    assert fast[1].strings["msgid"] == 'Multi "quoted"\nline \x041 end.\\'
    assert (fast[1].line, fast[1].msgid_line) == (6, 14)
    assert fast[2].plural_forms == {0: "один", 1: "два", 2: "много"}
    assert fast[4].obsolete and fast[4].previous == {"msgid": "Older."}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(GNU_LAYOUT.replace("\n", "\r\n"), id="crlf"),
        pytest.param(GNU_LAYOUT.replace('"Перевод"', '"Перевод"  '), id="space after string"),
        pytest.param(GNU_LAYOUT.replace('msgid "One', '  msgid "One'), id="indented keyword"),
        pytest.param(GNU_LAYOUT.replace('msgid "One', 'msgid  "One'), id="two spaces"),
        pytest.param(GNU_LAYOUT.replace('msgid "One', 'msgid"One'), id="no space"),
        pytest.param(GNU_LAYOUT.replace("#~ msgid", "#~msgid"), id="obsolete without space"),
        pytest.param(GNU_LAYOUT.replace("#| msgid", "#|msgid"), id="previous without space"),
        pytest.param(GNU_LAYOUT.replace("# kept", "#~ # kept"), id="obsolete comment"),
        pytest.param(GNU_LAYOUT.replace("\n\n#\n", "\n \n#\n"), id="blank line with a space"),
        pytest.param(GNU_LAYOUT.replace('#~ msgctxt "c"', 'msgctxt "c"'), id="mixed msgctxt"),
        pytest.param(GNU_LAYOUT + "# trailing comment\n", id="trailing comment"),
    ],
)
def test_files_outside_gnu_layout_read_as_before(text: str) -> None:
    assert po_validate._read_canonical(text) is None
    assert po_validate.read_po(text) == po_validate._read_lines(text)


def test_missing_final_newline_reads_the_same() -> None:
    text = GNU_LAYOUT.removesuffix("\n")
    assert po_validate._read_canonical(text) == po_validate._read_lines(GNU_LAYOUT)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GNU_LAYOUT.replace('msgstr[2] "много"', 'msgstr[1] "много"'), 25, "appears twice"),
        (GNU_LAYOUT.replace('"1 end.', '"1 \\z'), 17, "invalid escape sequence \\z"),
        (GNU_LAYOUT.replace('#| "text."', '#| "\\z"'), 12, "invalid escape sequence \\z"),
    ],
)
def test_fault_in_gnu_layout_is_found_at_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(po_validate.PoSyntaxError) as raised:
        po_validate.read_po(text)
    assert (raised.value.line, words in raised.value.message) == (line, True)


def test_entries_are_the_objects_polib_would_build() -> None:
    po = catalogs.parse_catalog(GNU_LAYOUT.encode(), path="x.po")
    for entry in po:
        rebuilt = polib.POEntry(**{k: v for k, v in vars(entry).items() if k != "encoding"})
        assert list(vars(entry).items()) == list(vars(rebuilt).items())
