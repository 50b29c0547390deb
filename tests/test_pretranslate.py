"""The pretranslate stage through the CLI, with real (generated) Argos packages."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import make_project
from support.argos_package import kyrgyzify, translit

from translate_flow.cli import main

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
CATALOG = (
    HEADER
    + """\
#: source/2024-01/news.rst:1
msgid "Hello world"
msgstr ""

#: source/2024-01/news.rst:3
msgid "The team published *the annual report* and ``notes.txt`` in 2024."
msgstr ""

#: source/2024-01/news.rst:5
msgid "Registration is free."
msgstr "Регистрация бесплатна."

#: source/2024-01/news.rst:7
#, fuzzy
msgid "Tickets cost 12 euros."
msgstr "Билеты стоят 12 евро."

#: source/2024-01/news.rst:9
#, fuzzy
msgid "Doors open at noon."
msgstr ""

#~ msgid "Old text"
#~ msgstr ""
"""
)
MARKUP = "The team published *the annual report* and ``notes.txt`` in 2024."
HUMAN = {
    "Registration is free.": ("Регистрация бесплатна.", []),
    "Tickets cost 12 euros.": ("Билеты стоят 12 евро.", ["fuzzy"]),
    "Doors open at noon.": ("", ["fuzzy"]),
}
PROVENANCE = "machine-translation: argos translate-{pair}-0_0_1 0.0.1 {route} 2009-12-31"


@pytest.fixture
def project(tmp_path: Path, argos_packages: dict[str, Path]) -> Path:
    files = {"source/2024-01/news.rst": "Hello world\n"}
    for language in ("ru", "ky", "kk"):
        files[f"locale/{language}/LC_MESSAGES/2024-01/news.po"] = CATALOG
    root = make_project(tmp_path / "project", files, languages='["ru", "ky", "kk"]')
    for archive in argos_packages.values():
        assert main(["models", "install", str(archive), "--project", str(root)]) == 0
    return root


def catalog(project: Path, language: str) -> polib.POFile:
    return polib.pofile(str(project / f"locale/{language}/LC_MESSAGES/2024-01/news.po"))


def test_empty_entries_get_fuzzy_machine_drafts_with_provenance(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    capfd.readouterr()
    assert main(["pretranslate", "--project", str(project)]) == 0
    out = capfd.readouterr().out
    ru = {e.msgid: e for e in catalog(project, "ru")}
    assert ru["Hello world"].msgstr == "Хелло шорлд"
    assert ru["Hello world"].flags == ["fuzzy"]
    assert ru["Hello world"].tcomment == PROVENANCE.format(pair="en_ru", route="en>ru")
    assert ru[MARKUP].msgstr == (
        "Тхе теам публисхед *тхе аннуал репорт* анд ``notes.txt`` ин 2024."
    )
    ky = {e.msgid: e for e in catalog(project, "ky")}
    assert ky["Hello world"].msgstr == kyrgyzify(translit("Hello world")) == "Хеллө шөрлд"
    assert ky["Hello world"].tcomment == "\n".join(
        [
            PROVENANCE.format(pair="en_ru", route="en>ru>ky"),
            PROVENANCE.format(pair="ru_ky", route="en>ru>ky"),
        ]
    )
    assert "ru: filled 2 (from memory 0, from MT 2; 2 new to the model), left empty 0" in out
    assert (
        "kk: no machine translation model installed; 2 entries left for translators; install "
        "one with `translate-flow models install FILE.argosmodel` or `translate-flow models "
        "install --from-index en kk`"
    ) in out
    assert {e.msgid: e.msgstr for e in catalog(project, "kk")}["Hello world"] == ""


def test_translated_fuzzy_and_obsolete_entries_are_never_touched(project: Path) -> None:
    assert main(["pretranslate", "--project", str(project)]) == 0
    for language in ("ru", "ky"):
        entries = {e.msgid: e for e in catalog(project, language)}
        for msgid, (msgstr, flags) in HUMAN.items():
            assert (entries[msgid].msgstr, entries[msgid].flags) == (msgstr, flags)
            assert entries[msgid].tcomment == ""
        obsolete = [e for e in catalog(project, language) if e.obsolete]
        assert [(e.msgid, e.msgstr) for e in obsolete] == [("Old text", "")]


def test_a_second_run_translates_nothing(project: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["pretranslate", "-l", "ru", "--project", str(project)]) == 0
    po_path = project / "locale/ru/LC_MESSAGES/2024-01/news.po"
    first = po_path.read_text()
    po_path.write_text(CATALOG)  # the drafts are gone, e.g. after a re-extraction
    capfd.readouterr()
    assert main(["pretranslate", "-l", "ru", "--project", str(project)]) == 0
    assert "ru: filled 2 (from memory 0, from MT 2; 0 new to the model)" in capfd.readouterr().out
    assert po_path.read_text() == first


def test_a_corrupt_model_is_a_clear_error_and_nothing_is_written(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    model = project / "models/translate-ru_ky-0_0_1/model/model.bin"
    model.write_bytes(model.read_bytes()[:1000])
    before = {p: p.read_bytes() for p in project.glob("locale/**/*.po")}
    capfd.readouterr()
    assert main(["pretranslate", "--project", str(project)]) == 2
    err = capfd.readouterr().err
    assert err.startswith(f"translate-flow: {model}: error: cannot load the CTranslate2 model")
    assert err.count("\n") == 1
    assert {p: p.read_bytes() for p in project.glob("locale/**/*.po")} == before


def test_a_malformed_catalog_is_reported_and_the_others_are_filled(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    bad = project / "locale/ky/LC_MESSAGES/2024-01/news.po"
    bad.write_bytes(b"\xef\xbb\xbf" + bad.read_bytes())
    capfd.readouterr()
    assert main(["pretranslate", "--project", str(project)]) == 1
    err = capfd.readouterr().err
    assert "locale/ky/LC_MESSAGES/2024-01/news.po:1: error: starts with a UTF-8 byte order" in err
    assert {e.msgid: e.msgstr for e in catalog(project, "ru")}["Hello world"] == "Хелло шорлд"


# argostranslate needs torch and stanza: run it from this interpreter if it has them, or from
# the one named by ARGOS_PYTHON (e.g. a venv with `pip install torch==2.13.0 argostranslate`).
ARGOS_PYTHON = os.environ.get("ARGOS_PYTHON") or (
    sys.executable if importlib.util.find_spec("argostranslate") else None
)


@pytest.mark.skipif(
    ARGOS_PYTHON is None,
    reason="argostranslate is not installed (pip install 'translate-flow[argos]', "
    "or set ARGOS_PYTHON to a Python that has it)",
)
def test_same_output_as_argostranslate(tmp_path: Path, argos_packages: dict[str, Path]) -> None:
    from translate_flow import models, mt

    texts = [
        "Hello world! The team published the annual report.",
        "Use snake_case ☃ 12.5 euros.\nSecond line.",
        "",
        "\nLeading empty line. Then Two sentences! And a question?",
        "Tickets cost 12 euros.  Double  spaces  here.",
    ]
    # argostranslate reads its settings once per process: run it in a fresh one.
    env = {
        "ARGOS_PACKAGES_DIR": str(tmp_path / "argos"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "ARGOS_INTRA_THREADS": "1",
        "PATH": "/usr/bin:/bin",
    }
    script = (
        "import json, sys\n"
        "from argostranslate import package, translate\n"
        "package.install_from_path(sys.argv[1])\n"
        "texts = json.loads(sys.argv[2])\n"
        "print(json.dumps([translate.translate(t, 'en', 'ru') for t in texts]))\n"
    )
    run = subprocess.run(
        [str(ARGOS_PYTHON), "-c", script, str(argos_packages["en_ru"]), json.dumps(texts)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(run.stdout.strip().splitlines()[-1])
    package = models.install_file(argos_packages["en_ru"], tmp_path / "models")
    assert mt.ArgosEngine(package).translate(texts) == expected


def test_drafts_move_the_revision_date_not_the_template_date(project: Path) -> None:
    po_path = project / "locale/ru/LC_MESSAGES/2024-01/news.po"
    dates = (
        '"POT-Creation-Date: 2001-01-01 00:00+0000\\n"\n'
        '"PO-Revision-Date: 2001-01-01 00:00+0000\\n"\n'
    )
    po_path.write_text(CATALOG.replace('"Content-Type', dates + '"Content-Type', 1))
    assert main(["pretranslate", "-l", "ru", "--project", str(project)]) == 0
    metadata = catalog(project, "ru").metadata
    assert metadata["POT-Creation-Date"] == "2001-01-01 00:00+0000"  # follows the template
    assert metadata["PO-Revision-Date"] == "2009-12-31 00:00+0000"  # SOURCE_DATE_EPOCH


def test_a_catalog_saved_during_the_run_keeps_the_translators_work(
    project: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from translate_flow import pretranslate

    po_path = project / "locale/ru/LC_MESSAGES/2024-01/news.po"
    saved = CATALOG.replace(
        'msgid "Hello world"\nmsgstr ""', 'msgid "Hello world"\nmsgstr "Привет"'
    )
    draft = pretranslate._draft

    def save_while_translating(*args: object, **kwargs: object) -> None:
        draft(*args, **kwargs)  # type: ignore[arg-type]
        po_path.write_text(saved, encoding="utf-8")  # Poedit saves during machine translation

    monkeypatch.setattr(pretranslate, "_draft", save_while_translating)
    capfd.readouterr()
    assert main(["pretranslate", "-l", "ru", "--project", str(project)]) == 1
    assert po_path.read_text(encoding="utf-8") == saved
    err = capfd.readouterr()
    assert "locale/ru/LC_MESSAGES/2024-01/news.po: error: changed on disk" in err.out + err.err
