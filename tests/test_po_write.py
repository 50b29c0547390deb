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


def _random_texts(count: int) -> list[str]:
    rng = random.Random(2009)
    texts = []
    for _ in range(count):
        parts: list[str] = []
        target = rng.randint(20, 260)
        while sum(map(len, parts)) < target:
            parts.append(rng.choice(ATOMS))
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
