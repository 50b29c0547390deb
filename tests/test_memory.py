"""Translation memory: what it holds, exact and close reuse, filling entries, TMX."""

from __future__ import annotations

import random
from pathlib import Path

import polib
import pytest
from conftest import make_project
from rapidfuzz import fuzz, process

from translate_flow import memory
from translate_flow.cli import main
from translate_flow.config import load_config
from translate_flow.memory import (
    MemorySource,
    TranslationMemory,
    Unit,
    build_memory,
    export_tmx,
    read_tmx,
)

BOILERPLATE = "Published by the UNODC Regional Office in Central Asia."
BOILERPLATE_RU = "Издано Региональным представительством УНП ООН в Центральной Азии."


def _catalog(path: Path, entries: list[polib.POEntry]) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    for entry in entries:
        po.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def _project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", {})
    catalogs = root / "locale" / "ru" / "LC_MESSAGES"
    _catalog(
        catalogs / "2009-11" / "index.po",
        [
            polib.POEntry(msgid=BOILERPLATE, msgstr=BOILERPLATE_RU),
            polib.POEntry(msgid="Machine draft.", msgstr="Черновик.", flags=["fuzzy"]),
            polib.POEntry(msgid="Not translated yet.", msgstr=""),
            polib.POEntry(msgid="Gone paragraph.", msgstr="Ушедший абзац.", obsolete=True),
        ],
    )
    return root


def test_reviewed_entries_of_every_issue_are_in_memory_and_drafts_are_not(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path))
    tm, problems = build_memory(config, "ru")
    assert problems == []
    assert {(u.source, u.target) for u in tm.units()} == {
        (BOILERPLATE, BOILERPLATE_RU),
        ("Gone paragraph.", "Ушедший абзац."),
    }


def test_exact_match_reuses_a_translation_from_another_issue(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path))
    tm, _ = build_memory(config, "ru")
    found = tm.lookup(BOILERPLATE, threshold=75)
    assert found is not None
    assert found.exact and found.msgstr == BOILERPLATE_RU
    assert found.origin == "locale/ru/LC_MESSAGES/2009-11/index.po"
    assert found.comment() == (
        "translation-memory: exact match from locale/ru/LC_MESSAGES/2009-11/index.po"
    )


def test_close_match_reports_similarity_and_the_english_it_was_made_for() -> None:
    tm = TranslationMemory("ru", [Unit(BOILERPLATE, BOILERPLATE_RU, "a.po")])
    text = "Published by the UNODC Regional Office for Central Asia."
    found = tm.lookup(text, threshold=75)
    assert found is not None and not found.exact
    assert found.msgid == BOILERPLATE
    assert found.similarity == pytest.approx(fuzz.ratio(text, BOILERPLATE))
    assert found.comment().startswith(f"translation-memory: {int(found.similarity)}% match")


def test_threshold_decides_what_is_close_enough() -> None:
    tm = TranslationMemory("ru", [Unit(BOILERPLATE, BOILERPLATE_RU, "a.po")])
    text = "Published by the UNODC Office in Tashkent, Uzbekistan."
    score = fuzz.ratio(text, BOILERPLATE)
    assert 60 < score < 75
    assert tm.lookup(text, threshold=75) is None
    assert tm.lookup(text, threshold=60) is not None
    assert tm.lookup("Something else entirely.", threshold=10) is None


def test_most_used_translation_wins_then_the_first_read() -> None:
    tm = TranslationMemory(
        "ru",
        [
            Unit("Kazakhstan", "Республика Казахстан", "new.po"),
            Unit("Kazakhstan", "Казахстан", "a.po"),
            Unit("Kazakhstan", "Казахстан", "b.po"),
            Unit("Tajikistan", "Таджикистан", "new.po"),
            Unit("Tajikistan", "Республика Таджикистан", "old.po"),
        ],
    )
    kazakhstan = tm.exact("Kazakhstan")
    assert kazakhstan is not None
    assert (kazakhstan.msgstr, kazakhstan.origin, kazakhstan.alternatives) == (
        "Казахстан",
        "a.po",
        1,
    )
    assert "1 other translation in memory" in kazakhstan.comment()
    tajikistan = tm.exact("Tajikistan")
    assert tajikistan is not None and tajikistan.origin == "new.po"


def test_newer_issue_is_preferred_on_a_tie(tmp_path: Path) -> None:
    root = _project(tmp_path)
    newer = root / "locale" / "ru" / "LC_MESSAGES" / "2010-01" / "index.po"
    _catalog(newer, [polib.POEntry(msgid=BOILERPLATE, msgstr="Новый перевод.")])
    tm, _ = build_memory(load_config(root), "ru")
    found = tm.exact(BOILERPLATE)
    assert found is not None and found.msgstr == "Новый перевод."


def test_fuzzy_lookup_finds_what_a_full_scan_finds() -> None:
    rng = random.Random(7)
    vocabulary = [
        "drug",
        "control",
        "office",
        "regional",
        "border",
        "police",
        "training",
        "seminar",
        "the",
        "of",
        "in",
        "and",
    ]
    sources = list(dict.fromkeys(" ".join(rng.choices(vocabulary, k=9)) for _ in range(300)))
    tm = TranslationMemory("ru", [Unit(s, s.upper(), "x.po") for s in sources])
    for _ in range(100):
        words = rng.choice(sources).split()
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
        query = " ".join(words)
        others = [s for s in sources if s != query]
        best = process.extractOne(query, others, scorer=fuzz.ratio, score_cutoff=75)
        found = tm.fuzzy(query, threshold=75)
        if best is None:
            assert found is None
        else:
            assert found is not None and found.similarity == pytest.approx(best[1])


def test_broken_catalog_is_reported_and_the_others_still_count(tmp_path: Path) -> None:
    root = _project(tmp_path)
    broken = root / "locale" / "ru" / "LC_MESSAGES" / "2009-12" / "broken.po"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b'msgid "a"\nmsgstr "\xff"\n')
    tm, problems = build_memory(load_config(root), "ru")
    assert [(p.path, p.line, p.level) for p in problems] == [
        ("locale/ru/LC_MESSAGES/2009-12/broken.po", 2, "warning")
    ]
    assert "not valid UTF-8" in problems[0].message
    assert problems[0].message.endswith("; not in memory")
    assert tm.exact(BOILERPLATE) is not None


def test_many_catalogs_are_parsed_on_all_cores_with_the_same_result(tmp_path: Path) -> None:
    root = _project(tmp_path)
    catalogs = root / "locale" / "ru" / "LC_MESSAGES" / "2009-12"
    for i in range(memory.PARALLEL_THRESHOLD):
        _catalog(catalogs / f"a{i}.po", [polib.POEntry(msgid=f"Entry {i}.", msgstr=f"Запись {i}.")])
    (catalogs / "broken.po").write_bytes(b'msgid "a"\nmsgstr "\xff"\n')
    tm, problems = build_memory(load_config(root), "ru", jobs=2)
    assert len(tm) == memory.PARALLEL_THRESHOLD + 2
    assert [(p.path, p.line, p.level) for p in problems] == [
        ("locale/ru/LC_MESSAGES/2009-12/broken.po", 2, "warning")
    ]
    assert "not valid UTF-8" in problems[0].message
    assert problems[0].message.endswith("; not in memory")


def test_unchanged_catalogs_are_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    config = load_config(root)
    build_memory(config, "ru")
    parsed: list[Path] = []
    original = memory.reviewed_pairs
    monkeypatch.setattr(
        memory, "reviewed_pairs", lambda path: parsed.append(path) or original(path)
    )
    tm, _ = build_memory(config, "ru")
    assert parsed == [] and tm.exact(BOILERPLATE) is not None
    catalog = root / "locale" / "ru" / "LC_MESSAGES" / "2009-11" / "index.po"
    po = polib.pofile(str(catalog))
    po.find(BOILERPLATE).msgstr = "Исправлено."
    po.save()
    tm, _ = build_memory(config, "ru")
    assert parsed == [catalog]
    found = tm.exact(BOILERPLATE)
    assert found is not None and found.msgstr == "Исправлено."


# -- as a suggestion source ---------------------------------------------------------------------


def test_only_an_exact_match_may_be_filled_as_reviewed_and_only_when_configured() -> None:
    tm = TranslationMemory("ru", [Unit(BOILERPLATE, BOILERPLATE_RU, "a.po")])
    close_text = "Published by the UNODC Regional Office for Central Asia."
    for state, exact_reviewed in (("fuzzy", False), ("reviewed", True)):
        source = MemorySource(tm, threshold=75, exact_state=state)
        exact, close = source.suggest(BOILERPLATE), source.suggest(close_text)
        assert exact is not None and close is not None
        assert source.reviewed(exact) is exact_reviewed
        assert source.reviewed(close) is False


# -- TMX ------------------------------------------------------------------------------------------

OMEGAT_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
          creationtoolversion="6.0" segtype="paragraph" srclang="EN-US"/>
  <body>
    <tu>
      <tuv lang="EN-US"><seg>Drug control in Central Asia</seg></tuv>
      <tuv lang="RU-RU"><seg>Контроль над наркотиками в Центральной Азии</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en"><seg>The UNODC office</seg></tuv>
      <tuv xml:lang="uz-Cyrl"><seg>БМТ офиси</seg></tuv>
      <tuv xml:lang="uz-Latn"><seg>BMT ofisi</seg></tuv>
      <tuv xml:lang="kk"><seg>БҰҰ ЕҚБ кеңсесі</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_tmx_from_omegat_and_weblate_is_read_per_language(tmp_path: Path) -> None:
    path = tmp_path / "team.tmx"
    path.write_text(OMEGAT_TMX, encoding="utf-8")
    ru = read_tmx(path, language="ru", source_language="en")
    assert [(u.source, u.target) for u in ru] == [
        ("Drug control in Central Asia", "Контроль над наркотиками в Центральной Азии")
    ]
    uz = read_tmx(path, language="uz", source_language="en")
    assert [(u.source, u.target) for u in uz] == [("The UNODC office", "BMT ofisi")]


def test_tmx_files_in_locale_memory_join_the_memory(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "locale" / "memory").mkdir()
    (root / "locale" / "memory" / "omegat.tmx").write_text(OMEGAT_TMX, encoding="utf-8")
    tm, problems = build_memory(load_config(root), "ru")
    found = tm.lookup("Drug control in Central Asia.", threshold=75)
    assert problems == [] and found is not None
    assert found.origin == "locale/memory/omegat.tmx"


def test_broken_tmx_is_reported_with_its_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "locale" / "memory").mkdir()
    (root / "locale" / "memory" / "bad.tmx").write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n<tu></body>\n</tmx>\n',
        encoding="utf-8",
    )
    (root / "locale" / "memory" / "other.tmx").write_text("<xliff/>", encoding="utf-8")
    tm, problems = build_memory(load_config(root), "ru")
    assert [(p.path, p.line) for p in problems] == [
        ("locale/memory/bad.tmx", 4),
        ("locale/memory/other.tmx", None),
    ]
    assert "not valid XML" in problems[0].message and tm.exact(BOILERPLATE) is not None


def test_tmx_cannot_read_local_files_through_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password", encoding="utf-8")
    path = tmp_path / "hostile.tmx"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        '<tmx version="1.4"><header srclang="en"/><body><tu>'
        '<tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="ru"><seg>Привет &x;</seg></tuv>'
        "</tu></body></tmx>\n",
        encoding="utf-8",
    )
    units = read_tmx(path, language="ru", source_language="en")
    assert "password" not in repr(units)


def test_tmx_round_trip_gives_the_same_memory(tmp_path: Path) -> None:
    tm = TranslationMemory(
        "ru",
        [
            Unit("Kazakhstan", "Казахстан", "a.po"),
            Unit("Kazakhstan", "Республика Казахстан", "b.po"),
            Unit("Kazakhstan", "Республика Казахстан", "c.po"),
            Unit("Markup *stays* & <escapes>", "Разметка *остаётся* & <экранируется>", "a.po"),
            Unit("  spaces  kept ", " пробелы  ", "a.po"),
        ],
    )
    text = export_tmx(tm, source_language="en")
    assert export_tmx(tm, source_language="en") == text
    path = tmp_path / "ru.tmx"
    path.write_text(text, encoding="utf-8")
    again = TranslationMemory("ru", read_tmx(path, language="ru", source_language="en"))
    assert sorted((u.source, u.target) for u in again.units()) == sorted(
        (u.source, u.target) for u in tm.units()
    )
    for source in ("Kazakhstan", "Markup *stays* & <escapes>", "  spaces  kept "):
        before, after = tm.exact(source), again.exact(source)
        assert before is not None and after is not None and before.msgstr == after.msgstr


def test_memory_export_command_writes_tmx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    output = tmp_path / "ru.tmx"
    assert main(["memory", "export", "--project", str(root), "-l", "ru", "-o", str(output)]) == 0
    assert "exported 2 translations of 2 messages" in capsys.readouterr().out
    units = read_tmx(output, language="ru", source_language="en")
    assert (BOILERPLATE, BOILERPLATE_RU) in {(u.source, u.target) for u in units}
    assert main(["memory", "export", "--project", str(root), "-l", "ru"]) == 0
    assert capsys.readouterr().out == output.read_text(encoding="utf-8")
    assert main(["memory", "export", "--project", str(root), "-l", "xx"]) == 2


def test_memory_without_an_action_shows_its_own_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["memory"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: translate-flow memory" in err
    assert "required: ACTION" in err
