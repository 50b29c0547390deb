"""pretranslate with the translation memory and the glossary: reuse before machine translation."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from conftest import make_project

from translate_flow.cli import main

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
BOILERPLATE = "Published by the UNODC Regional Office in Central Asia."
BOILERPLATE_RU = "Издано Региональным представительством УНП ООН в Центральной Азии."
CLOSE = "Published by the UNODC Regional Office for Central Asia."


def _po(entries: list[tuple[str, str, str]]) -> str:
    """A catalog of (msgid, msgstr, flag) entries."""
    text = HEADER
    for msgid, msgstr, flag in entries:
        flags = f"#, {flag}\n" if flag else ""
        text += f'{flags}msgid "{msgid}"\nmsgstr "{msgstr}"\n\n'
    return text


def _project(tmp_path: Path, *, settings: str = "") -> Path:
    files = {
        "source/2009-12/old.rst": "Old\n",
        "source/2010-01/new.rst": "New\n",
        "locale/ru/LC_MESSAGES/2009-12/old.po": _po([(BOILERPLATE, BOILERPLATE_RU, "")]),
        "locale/ru/LC_MESSAGES/2010-01/new.po": _po(
            [
                (BOILERPLATE, "", ""),
                (CLOSE, "", ""),
                ("Something unrelated.", "", ""),
                ("Published by the UNODC Regional Office in Central Asia!", "Мой перевод!", ""),
            ]
        ),
    }
    root = make_project(tmp_path / "project", files, languages='["ru"]')
    if settings:
        with (root / "pyproject.toml").open("a", encoding="utf-8") as stream:
            stream.write(settings)
    return root


def _entries(root: Path) -> dict[str, polib.POEntry]:
    po = polib.pofile(str(root / "locale/ru/LC_MESSAGES/2010-01/new.po"))
    return {entry.msgid: entry for entry in po}


def test_memory_fills_exact_and_close_matches_from_another_issue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    assert main(["pretranslate", "--project", str(root)]) == 0
    assert "ru: filled 2 (from memory 2, from MT 0" in capsys.readouterr().out
    entries = _entries(root)
    exact = entries[BOILERPLATE]
    assert (exact.msgstr, exact.flags, exact.previous_msgid) == (BOILERPLATE_RU, ["fuzzy"], None)
    assert exact.tcomment == (
        "translation-memory: exact match from locale/ru/LC_MESSAGES/2009-12/old.po"
    )
    close = entries[CLOSE]
    assert (close.msgstr, close.flags) == (BOILERPLATE_RU, ["fuzzy"])
    assert close.previous_msgid == BOILERPLATE
    assert close.tcomment.startswith("translation-memory: 9")  # a 9x% match
    assert entries["Something unrelated."].msgstr == ""


def test_exact_match_is_reviewed_when_configured(tmp_path: Path) -> None:
    root = _project(tmp_path, settings='memory-exact = "reviewed"\n')
    assert main(["pretranslate", "--project", str(root)]) == 0
    entries = _entries(root)
    assert (entries[BOILERPLATE].msgstr, entries[BOILERPLATE].flags) == (BOILERPLATE_RU, [])
    assert entries[BOILERPLATE].tcomment.startswith("translation-memory: exact match")
    assert entries[CLOSE].flags == ["fuzzy"]


def test_threshold_is_configurable(tmp_path: Path) -> None:
    root = _project(tmp_path, settings="memory-threshold = 99\n")
    assert main(["pretranslate", "--project", str(root)]) == 0
    assert _entries(root)[CLOSE].msgstr == ""


def test_reviewed_translations_are_never_overwritten_by_the_memory(tmp_path: Path) -> None:
    root = _project(tmp_path, settings='memory-exact = "reviewed"\n')
    new = root / "locale/ru/LC_MESSAGES/2010-01/new.po"
    new.write_text(
        _po([(BOILERPLATE, "Перевод переводчика.", ""), (CLOSE, "Черновик.", "fuzzy")]),
        encoding="utf-8",
    )
    before = new.read_bytes()
    assert main(["pretranslate", "--project", str(root)]) == 0
    assert new.read_bytes() == before


def test_do_not_translate_terms_reach_the_machine_translation_as_placeholders(
    tmp_path: Path, argos_packages: dict[str, Path]
) -> None:
    files = {
        "source/2010-01/new.rst": "New\n",
        "locale/ru/LC_MESSAGES/2010-01/new.po": _po([("The BOMCA team met", "", "")]),
        "locale/glossary.csv": "term,note,do-not-translate,ru\nBOMCA,programme,yes,\n",
    }
    root = make_project(tmp_path / "project", files, languages='["ru"]')
    assert main(["models", "install", str(argos_packages["en_ru"]), "--project", str(root)]) == 0
    assert main(["pretranslate", "--project", str(root)]) == 0
    entry = _entries(root)["The BOMCA team met"]
    assert entry.msgstr == "Тхе BOMCA теам мет"  # the test model transliterates the rest
