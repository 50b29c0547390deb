"""The writer lays strings out exactly as GNU gettext does (checked against msgcat)."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from translate_flow import catalogs
from translate_flow.po_write import wrap

MSGCAT = shutil.which("msgcat")
ATOMS = [
    "word", "Слово", "қазақ", "o‘zbek", "türkmen", "2009", "75", "-", " ", " ", " ", " ",
    ".", ",", ":", ";", "!", "?", "(", ")", "[", "]", "“", "”", "«", "»", "’", "—", "–",
    "…", "$", "%", "/", "\\", '"', "*", "`", "_", "|", "+", "\u00a0", "€", "№", "\t",
    "x-y", "https://www.unodc.org/a_b.html", "\n", "e\u0301",
]  # fmt: skip


def _random_texts(count: int, atoms: list[str] = ATOMS) -> list[str]:
    rng = random.Random(2009)
    texts = []
    for _ in range(count):
        parts: list[str] = []
        target = rng.randint(20, 260)
        while sum(map(len, parts)) < target:
            parts.append(rng.choice(atoms))
        texts.append("".join(parts))
    return texts


@pytest.mark.skipif(MSGCAT is None, reason="GNU gettext (msgcat) is not installed")
def test_wrapping_matches_gnu_msgcat_byte_for_byte(tmp_path: Path) -> None:
    assert MSGCAT is not None
    texts = _random_texts(300)
    po = catalogs.parse_catalog(
        b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n', path="x.po"
    )
    for number, text in enumerate(texts):
        po.append(catalogs.POEntry(msgctxt=str(number), msgid=text, msgstr=text))
        if number % 3 == 0:
            po[-1].previous_msgid = text
            po[-1].flags = ["fuzzy"]
    po.append(catalogs.POEntry(msgid=texts[0] + "!", msgstr=texts[1], obsolete=True))
    ours = catalogs.render(po)
    path = tmp_path / "x.po"
    path.write_text(ours, encoding="utf-8")
    gnu = subprocess.run([MSGCAT, str(path)], capture_output=True, text=True, check=True).stdout
    assert gnu == ours


def test_short_string_stays_on_the_keyword_line() -> None:
    assert wrap("", "msgid", "Alpha") == 'msgid "Alpha"\n'
    assert wrap("#~ ", "msgstr", 'say "hi"') == '#~ msgstr "say \\"hi\\""\n'


def test_long_string_starts_with_an_empty_line_and_breaks_after_spaces() -> None:
    text = "word " * 20
    lines = wrap("", "msgid", text.strip()).splitlines()
    assert lines[0] == 'msgid ""'
    assert all(len(line) <= 79 for line in lines)
    assert lines[1].endswith(' "')


def test_newlines_end_lines() -> None:
    assert wrap("", "msgstr", "a\nb\n") == 'msgstr ""\n"a\\n"\n"b\\n"\n'


# Texts right at the edge of the line, where the writer skips its break search when the
# whole text fits (see `_Layout.cuts`): GNU's width is 79 columns minus the prefix, the
# keyword and the quotes, and wide characters, combining marks and escapes count as the
# columns they take, not as the characters they are.
WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron " * 3
HEADS = [("", 0), ("中", 2), ("e\u0301", 1), ('"', 2), ("\\", 2), ("\t", 2), ("\x01", 0)]


def _text_of_width(columns: int, head: str = "", head_columns: int = 0) -> str:
    """`head` then words, `columns` columns wide once escaped."""
    return head + WORDS[: columns - head_columns]


def _edge_texts() -> list[str]:
    texts = []
    for head, head_columns in HEADS:
        for columns in range(66, 80):  # every keyword line's edge and a whole line's (77)
            text = _text_of_width(columns, head, head_columns)
            texts += [text, f"x\n{text}", f"{text}\n"]
    return texts


@pytest.mark.skipif(MSGCAT is None, reason="GNU gettext (msgcat) is not installed")
def test_texts_at_the_edge_of_the_line_match_gnu_msgcat(tmp_path: Path) -> None:
    assert MSGCAT is not None
    po = catalogs.parse_catalog(
        b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n', path="x.po"
    )
    for number, text in enumerate(_edge_texts()):
        po.append(catalogs.POEntry(msgctxt=str(number), msgid=text, msgstr=text))
        po[-1].previous_msgid = text
        po[-1].flags = ["fuzzy"]
        po.append(catalogs.POEntry(msgctxt=f"o{number}", msgid=text, msgstr=text, obsolete=True))
    ours = catalogs.render(po)
    path = tmp_path / "x.po"
    path.write_text(ours, encoding="utf-8")
    gnu = subprocess.run([MSGCAT, str(path)], capture_output=True, text=True, check=True).stdout
    assert gnu == ours


@pytest.mark.parametrize(("head", "head_columns"), HEADS)
def test_a_text_as_wide_as_the_line_stays_on_the_keyword_line(head: str, head_columns: int) -> None:
    fitting = _text_of_width(71, head, head_columns)  # `msgid "` + 71 + `"`: 79 columns
    assert len(wrap("", "msgid", fitting).splitlines()) == 1
    wider = _text_of_width(72, head, head_columns)
    assert wrap("", "msgid", wider).startswith('msgid ""\n')


# The writer finds break opportunities word by word (`_word`): these atoms put marks,
# zero-width spaces, word joiners and punctuation at the start and end of words.
WORD_EDGES = [
    "word", "Слово", "2009", " ", " ", "  ", ".", ",", "(", ")", "“", "”", "«", "»", "—", "-",
    "$", "%", "/", "\u0301", "e\u0301", "\u200b", "\u2060", "中", "\u00a0", "!", "?", ":",
    "\u00ad", "…", "'", "[", "]", "{", "}",
]  # fmt: skip


@pytest.mark.skipif(MSGCAT is None, reason="GNU gettext (msgcat) is not installed")
def test_breaks_at_word_edges_match_gnu_msgcat(tmp_path: Path) -> None:
    assert MSGCAT is not None
    po = catalogs.parse_catalog(
        b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n', path="x.po"
    )
    for number, text in enumerate(_random_texts(300, WORD_EDGES)):
        po.append(catalogs.POEntry(msgctxt=str(number), msgid=text, msgstr=text))
    ours = catalogs.render(po)
    path = tmp_path / "x.po"
    path.write_text(ours, encoding="utf-8")
    gnu = subprocess.run([MSGCAT, str(path)], capture_output=True, text=True, check=True).stdout
    assert gnu == ours


@pytest.mark.parametrize("before", ["a ", "a\u200b "])
def test_no_break_before_a_zero_width_space(before: str) -> None:
    # What msgcat writes: no break before a zero-width space after a space (even after
    # another zero-width space), though the column there is the same as after it.
    text = "a" * 75 + before + "\u200b " + "b" * 10
    assert wrap("", "msgid", text) == f'msgid ""\n"{text[:-10]}"\n"{"b" * 10}"\n'
