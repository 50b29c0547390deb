"""Glossary: reading the CSV, hints in catalogs, kept terms for MT, the inflection-aware check."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from conftest import REPO, make_project

from translate_flow.config import load_config
from translate_flow.glossary import (
    Glossary,
    add_hints,
    annotate,
    glossary_findings,
    load_glossary,
    read_glossary,
)

LANGUAGES = ("ru", "kk", "ky", "tg", "uz", "tk")


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    """The sample project's glossary, as shipped."""
    text = (REPO / "locale" / "glossary.csv").read_text(encoding="utf-8")
    result, problems = read_glossary(text, name="locale/glossary.csv", languages=LANGUAGES)
    assert problems == []
    return result


def test_sample_glossary_has_every_term_in_all_six_languages(glossary: Glossary) -> None:
    names = {term.name for term in glossary.terms}
    for name in ["UNODC", "CARICC", "MoU", "Paris Pact", "UNAIDS", "OSCE", "SCO", "CSTO"]:
        assert name in names
    for name in ["CIS", "ECO", "NATO", "UNDP", "HIV/AIDS", "Kazakhstan", "Kyrgyzstan"]:
        assert name in names
    for name in ["Tajikistan", "Turkmenistan", "Uzbekistan", "Afghanistan", "Azerbaijan"]:
        assert name in names
    assert "Russian Federation" in names
    for term in glossary.terms:
        if not term.keep:
            assert all(term.approved(language) for language in LANGUAGES if term.name != "UN Cares")
    uzbekistan = next(t for t in glossary.terms if t.name == "Uzbekistan")
    assert uzbekistan.approved("uz") == ("Oʻzbekiston",)  # Latin script


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The MOU meeting in Kazakhstan", ["MoU", "Kazakhstan"]),
        ("Kazakhstan's government and the Kyrgyz Republic", ["Kazakhstan", "Kyrgyz Republic"]),
        ("HIV/AIDS and HIV/STIs", ["HIV/AIDS", "HIV"]),
        ("UNODCs, UNO, the UN and UN Cares", ["UNODC", "UN", "UN Cares"]),
        ("Russian experts in the Russian Federation", ["Russian Federation"]),
        ("the Central Asia Regional Information and Coordination Centre", ["CARICC"]),
    ],
)
def test_terms_are_found_as_whole_words_longest_first(
    glossary: Glossary, text: str, found: list[str]
) -> None:
    assert [match.term.name for match in glossary.find(text)] == found


def test_entry_gets_a_hint_per_term_and_keeps_its_node_kind(glossary: Glossary) -> None:
    entry = polib.POEntry(msgid="UNODC and BOMCA in Kazakhstan", comment="paragraph")
    assert add_hints(entry, glossary, "ru")
    assert entry.comment.split("\n") == [
        "paragraph",
        "glossary: UNODC = УНП ООН",
        "glossary: BOMCA = БОМКА",
        "glossary: Kazakhstan = Казахстан",
    ]
    assert not add_hints(entry, glossary, "ru")
    kazakh = polib.POEntry(msgid="UNODC and BOMCA in Kazakhstan", comment="paragraph")
    add_hints(kazakh, glossary, "kk")
    assert "glossary: BOMCA = BOMCA (do not translate)" in kazakh.comment
    assert "#. glossary: Kazakhstan = Қазақстан" in str(kazakh)


def test_a_whole_catalog_is_annotated_once(glossary: Glossary) -> None:
    po = polib.pofile(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. title\nmsgid "NATO and the CIS"\nmsgstr ""\n\n'
        'msgid "Nothing here"\nmsgstr ""\n\n'
        '#~ msgid "Old NATO text"\n#~ msgstr ""\n'
    )
    assert annotate(po, glossary, "tg") == 1
    assert annotate(po, glossary, "tg") == 0
    assert po[0].comment == "title\nglossary: NATO = НАТО\nglossary: CIS = ИДМ"
    assert po.obsolete_entries()[0].comment == ""


def test_hint_names_the_term_as_the_english_spells_it(glossary: Glossary) -> None:
    text = "The Memorandum of Understanding (MOU) and Kazakhstan's MoUs"
    assert glossary.hints(text, "ru") == [
        "glossary: Memorandum of Understanding = Меморандум о взаимопонимании (МоВ)",
        "glossary: Kazakhstan = Казахстан",
    ]


def test_stale_hints_go_when_the_english_changes(glossary: Glossary) -> None:
    entry = polib.POEntry(msgid="In Tajikistan", comment="title\nglossary: NATO = НАТО")
    assert add_hints(entry, glossary, "ru")
    assert entry.comment == "title\nglossary: Tajikistan = Таджикистан"


def test_kept_terms_are_spans_for_machine_translation(glossary: Glossary) -> None:
    text = "The BOMCA-CADAP programme and UNODC"
    assert [text[a:b] for a, b in glossary.keep_spans(text, "kk")] == ["BOMCA", "CADAP"]
    assert glossary.keep_spans(text, "ru") == []  # Russian has its own rendering


@pytest.mark.parametrize(
    ("language", "msgid", "msgstr"),
    [
        ("ru", "OSCE", "ОБСЕ"),
        ("ru", "in Kazakhstan", "Казахстан"),
        ("ru", "in Kazakhstan", "Правительство Казахстана"),
        ("ru", "in Kazakhstan", "в Казахстане"),
        ("ru", "the Russian Federation", "Российской Федерацией"),
        ("ru", "in Central Asia", "в Центральной Азии"),
        ("ru", "the Paris Pact", "партнёров Парижского пакта"),
        ("ru", "under the MoU", "в рамках Меморандума о взаимопонимании"),
        ("ru", "under the MoU", "в рамках МоВ"),
        ("ru", "HIV/AIDS", "борьба с ВИЧ/СПИДом"),
        ("kk", "UNODC in Kazakhstan", "БҰҰ ЕҚБ-ның Қазақстандағы кеңсесі"),
        ("kk", "the Paris Pact", "Париж пактінің"),
        ("ky", "OSCE", "ЕККУнун"),
        ("uz", "Uzbekistan", "O‘zbekistonda"),
        ("uz", "Kazakhstan", "Qozog'istonning"),
        ("tg", "Central Asia", "Осиёи Марказии"),
        ("tk", "Turkmenistan", "Türkmenistanyň"),
        ("kk", "BOMCA", "BOMCA-ның"),
    ],
)
def test_inflected_renderings_are_accepted(
    glossary: Glossary, language: str, msgid: str, msgstr: str
) -> None:
    assert glossary.missing(msgid, msgstr, language) == []


@pytest.mark.parametrize(
    ("language", "msgid", "msgstr"),
    [
        ("ru", "Kyrgyzstan", "Киргизия"),
        ("ru", "in Kyrgyzstan", "в Киргизии"),
        ("ru", "OSCE", "СБСЕ"),
        ("ru", "Russian Federation", "Россия"),
        ("ru", "Central Asia", "Средняя Азия"),
        ("kk", "OSCE", "ОБСЕ"),
        ("ky", "CSTO", "ОДКБ"),
        ("tg", "ECO", "САҲИ"),
        ("uz", "Uzbekistan", "Узбекистан"),
        ("kk", "BOMCA", "БОМКА"),
    ],
)
def test_other_renderings_are_rejected(
    glossary: Glossary, language: str, msgid: str, msgstr: str
) -> None:
    assert [term.name for term in glossary.missing(msgid, msgstr, language)] == [
        msgid.removeprefix("in ")
    ]


def test_check_finding_names_the_line_and_the_approved_rendering(glossary: Glossary) -> None:
    po = polib.pofile(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. paragraph\nmsgid "Kyrgyzstan and OSCE"\nmsgstr "Киргизия и ОБСЕ"\n\n'
        'msgid "Kyrgyzstan"\nmsgstr ""\n'
    )
    findings = [
        str(problem)
        for entry in po
        for problem in glossary_findings(entry, glossary, "ru", path="x.po")
    ]
    assert findings == [
        "x.po:4: warning: glossary: “Kyrgyzstan” should be translated “Кыргызстан” "
        "(locale/glossary.csv:23)"
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_sample_translations_follow_the_glossary(glossary: Glossary, language: str) -> None:
    catalogs = sorted((REPO / "locale" / language / "LC_MESSAGES").glob("*/*.po"))
    assert catalogs
    findings = [
        str(problem)
        for path in catalogs
        for entry in polib.pofile(str(path))
        if "fuzzy" not in entry.flags
        for problem in glossary_findings(entry, glossary, language, path=path.name)
    ]
    assert findings == []


def test_bad_rows_are_findings_and_the_rest_still_load(tmp_path: Path) -> None:
    text = (
        "term,note,do-not-translate,ru,xx\n"
        "NATO,,,НАТО,ignored\n"
        ",,,orphan\n"
        "NATO,,,НАТО\n"
        "OSCE,,maybe,ОБСЕ\n"
    )
    glossary, problems = read_glossary(text, name="g.csv", languages=["ru"])
    assert [str(p) for p in problems] == [
        "g.csv:3: warning: glossary: row without a term; ignored",
        "g.csv:4: warning: glossary: “NATO” is already on line 2",
        "g.csv:5: warning: glossary: do-not-translate is “maybe”; use yes or leave it empty",
    ]
    assert [term.name for term in glossary.terms] == ["NATO", "OSCE"]
    assert dict(glossary.terms[0].renderings) == {"ru": ("НАТО",)}
    _, problems = read_glossary("word,ru\nNATO,НАТО\n", name="g.csv", languages=["ru"])
    assert [str(p) for p in problems] == [
        "g.csv:1: error: glossary: no `term` column in the header row"
    ]


def test_project_without_a_glossary_has_an_empty_one(tmp_path: Path) -> None:
    config = load_config(make_project(tmp_path / "p", {}))
    glossary, problems = load_glossary(config)
    assert len(glossary) == 0 and problems == [] and glossary.find("UNODC") == []


def test_update_writes_hints_and_refreshes_them_when_the_glossary_changes(tmp_path: Path) -> None:
    from translate_flow.cli import main

    root = make_project(
        tmp_path / "p",
        {
            "source/2010-01/news.rst": "UNODC in Kazakhstan\n===================\n\nText.\n",
            "locale/glossary.csv": "term,note,do-not-translate,ru,kk\nUNODC,,,УНП ООН,БҰҰ ЕҚБ\n",
        },
    )
    assert main(["extract", "--project", str(root)]) == 0
    assert main(["update", "--project", str(root)]) == 0
    catalog = root / "locale/ru/LC_MESSAGES/2010-01/news.po"
    title = polib.pofile(str(catalog)).find("UNODC in Kazakhstan")
    assert title.comment.split("\n")[-1] == "glossary: UNODC = УНП ООН"
    (root / "locale/glossary.csv").write_text(
        "term,note,do-not-translate,ru\nUNODC,,,УНП ООН\nKazakhstan,,,Казахстан\n",
        encoding="utf-8",
    )
    assert main(["update", "--project", str(root)]) == 0
    title = polib.pofile(str(catalog)).find("UNODC in Kazakhstan")
    assert title.comment.split("\n")[-2:] == [
        "glossary: UNODC = УНП ООН",
        "glossary: Kazakhstan = Казахстан",
    ]


def test_project_glossary_is_read_again_only_when_the_file_changes(tmp_path: Path) -> None:
    from translate_flow.glossary import digest, project_glossary

    root = make_project(tmp_path / "p", {"locale/glossary.csv": "term,ru\nNATO,НАТО\n"})
    config = load_config(root)
    first = project_glossary(config)
    assert project_glossary(config) is first and [t.name for t in first.terms] == ["NATO"]
    before = digest(config)
    (root / "locale/glossary.csv").write_text("term,ru\nNATO,НАТО\nOSCE,ОБСЕ\n", encoding="utf-8")
    assert [t.name for t in project_glossary(config).terms] == ["NATO", "OSCE"]
    assert digest(config) != before


def test_check_warns_about_a_term_and_follows_glossary_edits(tmp_path: Path) -> None:
    from translate_flow.check import check
    from translate_flow.cli import main

    root = make_project(
        tmp_path / "p",
        {
            "source/2010-01/news.rst": "News\n====\n\nA meeting in Kyrgyzstan.\n",
            "locale/glossary.csv": "term,note,do-not-translate,ru\nKyrgyzstan,,,Кыргызстан\n",
        },
        languages='["ru"]',
    )
    assert main(["extract", "--project", str(root)]) == 0
    assert main(["update", "--project", str(root)]) == 0
    path = root / "locale/ru/LC_MESSAGES/2010-01/news.po"
    po = polib.pofile(str(path))
    po.find("News").msgstr = "Новости"
    po.find("A meeting in Kyrgyzstan.").msgstr = "Встреча в Киргизии."
    po.save()
    config = load_config(root)
    found = [str(p) for p in check(config, languages=("ru",)).problems if p.check == "glossary"]
    assert found == [
        "locale/ru/LC_MESSAGES/2010-01/news.po:26: warning: glossary: “Kyrgyzstan” should be "
        "translated “Кыргызстан” (locale/glossary.csv:2)"
    ]
    (root / "locale/glossary.csv").write_text(
        "term,note,do-not-translate,ru\nKyrgyzstan,,,Кыргызстан|Киргизия\n", encoding="utf-8"
    )
    assert [p for p in check(config, languages=("ru",)).problems if p.check == "glossary"] == []
