"""`translate-flow check`: completeness, gates, exit statuses and outputs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import polib
import pytest
from conftest import make_project

from translate_flow import pipeline
from translate_flow.check import CheckReport, Counts, check, is_plain, markup_findings
from translate_flow.cli import main
from translate_flow.config import load_config
from translate_flow.errors import Problem
from translate_flow.extract import stale_templates
from translate_flow.markup import parse_inline
from translate_flow.report import github_annotations

ARTICLE = """\
=================
Experts in Almaty
=================

About 1,500 experts met on 2-3 November 2009 in Almaty.

The *new* centre opened with ``CARICC`` staff.

Training was given to border officers from five countries.

Participants discussed the next steps.
"""

RU = {
    "Experts in Almaty": "Эксперты в Алматы",
    "About 1,500 experts met on 2-3 November 2009 in Almaty.": (
        "Около 1 500 экспертов встретились 2–3 ноября 2009 года в Алматы."
    ),
    "The *new* centre opened with ``CARICC`` staff.": "*Новый* центр открылся с ``CARICC``.",
    "Training was given to border officers from five countries.": (
        "Обучение прошли пограничники из пяти стран."
    ),
    "Participants discussed the next steps.": "Участники обсудили дальнейшие шаги.",
}

PLURAL_HEADER = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "kk": "nplurals=2; plural=(n != 1);",
}


def _project(tmp_path: Path, *, languages: str = '["ru", "kk"]', extra: str = "") -> Path:
    project = make_project(
        tmp_path / "p", {"source/2009-12/experts.rst": ARTICLE}, languages=languages
    )
    if extra:
        with (project / "pyproject.toml").open("a", encoding="utf-8") as stream:
            stream.write(extra)
    assert main(["extract", "--project", str(project)]) == 0
    return project


def _write_po(
    project: Path,
    language: str,
    translations: dict[str, str],
    *,
    fuzzy: dict[str, str] | None = None,
    obsolete: dict[str, str] | None = None,
) -> Path:
    """A catalog made from the template, as `update` would, with `translations` filled in."""
    pot = polib.pofile(str(project / "locale/templates/2009-12/experts.pot"))
    po = polib.POFile(wrapwidth=79)
    po.metadata = {**pot.metadata, "Language": language, "Plural-Forms": PLURAL_HEADER[language]}
    for entry in pot:
        entry.msgstr = translations.get(entry.msgid, "")
        if fuzzy and entry.msgid in fuzzy:
            entry.msgstr = fuzzy[entry.msgid]
            entry.flags.append("fuzzy")
            if entry.msgstr.startswith("MT "):
                entry.tcomment = "machine-translation: argos en→ru 1.9"
        po.append(entry)
    for msgid, msgstr in (obsolete or {}).items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, obsolete=True))
    path = project / f"locale/{language}/LC_MESSAGES/2009-12/experts.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    # As after a translator's session: `update` brings the file to its canonical form.
    result = pipeline.update(load_config(project))
    assert not result.problems, result.problems
    return path


def _complete(project: Path) -> Path:
    _write_po(project, "ru", RU)
    _write_po(project, "kk", {k: v for k, v in RU.items()})  # Russian letters are Kazakh too
    return project


def _run(project: Path, *args: str) -> int:
    return main(["check", "--project", str(project), "--no-badges", *args])


def _report(project: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    config = load_config(project)
    return check(config, languages=config.languages, jobs=1, **kwargs)  # type: ignore[arg-type]


# -- completeness -------------------------------------------------------------------------------


def test_complete_project_passes_with_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _complete(_project(tmp_path))
    assert _run(project) == 0
    out = capsys.readouterr().out
    assert "check passed: 0 errors, 0 warnings" in out
    assert re.search(r"^ru +100\.0% +100\.0%", out, re.MULTILINE)


def test_fuzzy_and_machine_drafts_never_count_as_complete(tmp_path: Path) -> None:
    project = _project(tmp_path, languages='["ru"]')
    english = list(RU)
    _write_po(
        project,
        "ru",
        {english[0]: RU[english[0]], english[1]: RU[english[1]]},
        fuzzy={english[2]: "MT *Новый* центр ``CARICC``.", english[3]: "Обучение прошли."},
        obsolete={"Old paragraph here.": "Старый абзац."},
    )
    (result,) = _report(project).languages
    counts = result.counts
    assert counts.count("complete", "messages") == 2
    assert counts.count("machine", "messages") == 1
    assert counts.count("fuzzy", "messages") == 1
    assert counts.count("untranslated", "messages") == 1
    assert counts.count("obsolete", "messages") == 1
    assert counts.total("messages") == 5  # obsolete entries are not part of the article
    assert counts.percent("messages") == pytest.approx(40.0)
    # by words: 3 + 10 of 3 + 10 + 7 + 9 + 5 source words
    assert counts.percent("words") == pytest.approx(100 * 13 / 34)


def test_translation_failing_an_error_check_is_not_complete(tmp_path: Path) -> None:
    project = _project(tmp_path, languages='["ru"]')
    broken = dict(RU)
    broken["The *new* centre opened with ``CARICC`` staff."] = "*Новый центр открылся."
    _write_po(project, "ru", broken)
    report = _report(project)
    counts = report.languages[0].counts
    assert counts.count("failing", "messages") == 1
    assert counts.count("reviewed", "messages") == 5
    assert counts.count("complete", "messages") == 4
    assert report.status == 1


@pytest.mark.parametrize(
    "msgstr",
    [
        "Участники обсудили дальнeйшие шаги.",  # a Latin "e" for the Cyrillic "е"
        "Участники обсудили дальнейшие\u200b шаги.",  # a zero-width space
    ],
)
def test_what_check_counts_as_failing_the_build_does_not_publish(
    tmp_path: Path, msgstr: str
) -> None:
    project = _project(tmp_path, languages='["ru"]')
    translations = dict(RU)
    translations["Participants discussed the next steps."] = msgstr
    _write_po(project, "ru", translations)
    report = _report(project)
    counts = report.languages[0].counts
    assert counts.count("failing", "messages") == 1
    assert [(p.level, p.check) for p in report.problems] == [("error", "script")]
    result = pipeline.build(load_config(project), languages=["ru"], jobs=1)
    (refused,) = [p for p in result.problems if p.level == "error"]
    where = (report.problems[0].path, report.problems[0].line, "script")
    assert (refused.path, refused.line, refused.check) == where  # the same msgid line
    assert refused.message.endswith("source/2009-12/experts.rst:11 is published in English")
    page = (project / "output/ru/2009-12/experts.html").read_text(encoding="utf-8")
    assert '<p><span lang="en">Participants discussed the next steps.</span></p>' in page
    assert "Участники" not in page


def test_copy_of_the_english_counts_as_untranslated(tmp_path: Path) -> None:
    project = _project(tmp_path, languages='["ru"]')
    copied = dict(RU)
    sentence = "Participants discussed the next steps."
    copied[sentence] = sentence
    _write_po(project, "ru", copied)
    report = _report(project)
    assert report.languages[0].counts.count("untranslated", "messages") == 1
    assert [p.check for p in report.problems] == ["unchanged"]
    assert report.status == 0


def test_findings_point_at_the_msgid_line(tmp_path: Path) -> None:
    project = _project(tmp_path, languages='["ru"]')
    wrong = dict(RU)
    wrong["Participants discussed the next steps."] = "Участники обсудили дальнейшие шаги"
    path = _write_po(project, "ru", wrong)
    (problem,) = _report(project).problems
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1] == 'msgid "Participants discussed the next steps."'
    assert str(problem) == (
        f"locale/ru/LC_MESSAGES/2009-12/experts.po:{problem.line}: warning: end-punctuation: "
        "the English ends with a full stop, this with no punctuation"
    )


# -- gates and exit statuses --------------------------------------------------------------------


def test_min_complete_from_the_config_fails_the_language_below_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = "min-complete = { ru = 90, kk = 0 }\n"
    project = _project(tmp_path, extra=extra)
    _write_po(project, "ru", dict(list(RU.items())[:3]))
    _write_po(project, "kk", {})
    assert _run(project) == 1
    out = capsys.readouterr().out
    assert "locale/ru/LC_MESSAGES: error: min-complete: Russian is 58.8% complete by words" in out
    assert "FAIL (min 90%)" in out
    assert "locale/kk/LC_MESSAGES: error" not in out


def test_min_complete_on_the_command_line_overrides_the_config(tmp_path: Path) -> None:
    project = _project(tmp_path, extra="min-complete = 90\n")
    _write_po(project, "ru", dict(list(RU.items())[:3]))
    _write_po(project, "kk", dict(list(RU.items())[:3]))
    assert _run(project) == 1
    assert _run(project, "--min-complete", "50") == 0
    assert _run(project, "--min-complete", "59") == 1


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    project = _complete(_project(tmp_path))
    wrong = dict(RU)
    wrong["Participants discussed the next steps."] = "Участники обсудили дальнейшие шаги"
    _write_po(project, "ru", wrong)
    assert _run(project) == 0
    assert _run(project, "--strict") == 1


def test_unknown_language_and_bad_percent_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _complete(_project(tmp_path))
    assert _run(project, "-l", "fr") == 2
    assert "language 'fr' is not configured" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        _run(project, "--min-complete", "120")
    assert exit_info.value.code == 2


def test_language_selection_checks_only_those_catalogs(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _write_po(project, "ru", RU)
    (project / "locale/kk/LC_MESSAGES/2009-12/experts.po").unlink()  # stale, but not checked
    assert _run(project, "-l", "ru") == 0
    assert _run(project) == 1


def test_template_older_than_its_article_fails_with_run_extract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _complete(_project(tmp_path))
    source = project / "source/2009-12/experts.rst"
    source.write_text(ARTICLE + "\nA new closing paragraph.\n", encoding="utf-8")
    before = (project / "locale/templates/2009-12/experts.pot").read_bytes()
    assert _run(project) == 1
    out = capsys.readouterr().out
    assert (
        "locale/templates/2009-12/experts.pot: error: stale-template: the template is out of "
        "date with source/2009-12/experts.rst; run `translate-flow extract`" in out
    )
    assert (project / "locale/templates/2009-12/experts.pot").read_bytes() == before


def test_up_to_date_templates_are_vouched_for_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _complete(_project(tmp_path))
    shutil.rmtree(project / ".translate-flow")  # CI: a fresh clone, no cache

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an up-to-date article was parsed")

    monkeypatch.setattr("translate_flow.extract.read_article", no_parse)
    assert stale_templates(load_config(project)) == []


def test_template_edited_by_hand_fails_with_run_extract(tmp_path: Path) -> None:
    project = _complete(_project(tmp_path))
    shutil.rmtree(project / ".translate-flow")
    pot = project / "locale/templates/2009-12/experts.pot"
    pot.write_text(pot.read_text(encoding="utf-8").replace("#. paragraph\n", ""), "utf-8")
    (problem,) = stale_templates(load_config(project))
    assert problem.check == "stale-template"
    assert "out of date with source/2009-12/experts.rst" in problem.message


def test_template_without_digest_is_parsed_and_reported(tmp_path: Path) -> None:
    project = _complete(_project(tmp_path))
    pot = project / "locale/templates/2009-12/experts.pot"
    lines = pot.read_text(encoding="utf-8").splitlines(keepends=True)
    pot.write_text("".join(line for line in lines if "X-Source-Digest" not in line), "utf-8")
    (problem,) = stale_templates(load_config(project))
    assert "run `translate-flow extract`" in problem.message


def test_article_including_a_file_is_parsed_not_vouched_for(tmp_path: Path) -> None:
    project = _complete(_project(tmp_path))
    (project / "source/2009-12/note.txt").write_text("An included note.\n", encoding="utf-8")
    source = project / "source/2009-12/experts.rst"
    source.write_text(ARTICLE + "\n.. include:: note.txt\n", encoding="utf-8")
    config = load_config(project)
    assert main(["extract", "--project", str(project)]) == 0
    assert stale_templates(config) == []
    (project / "source/2009-12/note.txt").write_text("A changed note.\n", encoding="utf-8")
    (problem,) = stale_templates(config)
    assert problem.check == "stale-template"


def test_template_of_a_removed_article_fails_with_run_extract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _complete(_project(tmp_path))
    orphan = project / "locale/templates/2009-12/gone.pot"
    orphan.write_text((project / "locale/templates/2009-12/experts.pot").read_text())
    assert _run(project) == 1
    assert "gone.pot: error: stale-template: its article is gone" in capsys.readouterr().out
    assert orphan.is_file()


def test_missing_catalog_fails_with_run_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    _write_po(project, "ru", RU)
    (project / "locale/kk/LC_MESSAGES/2009-12/experts.po").unlink()
    assert _run(project) == 1
    out = capsys.readouterr().out
    assert "kk/LC_MESSAGES/2009-12/experts.po: error: stale-catalog: the catalog is missing" in out
    assert "run `translate-flow update -l kk`" in out
    # everything in the template counts as untranslated
    assert re.search(r"^kk +0\.0% +0\.0%", out, re.MULTILINE)


def test_catalog_update_would_change_fails_with_run_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _complete(_project(tmp_path))
    source = project / "source/2009-12/experts.rst"
    source.write_text(ARTICLE.replace("next steps", "next three steps"), encoding="utf-8")
    assert main(["extract", "--project", str(project)]) == 0
    ru = project / "locale/ru/LC_MESSAGES/2009-12/experts.po"
    before = ru.read_bytes()
    assert _run(project) == 1
    out = capsys.readouterr().out
    assert (
        "locale/ru/LC_MESSAGES/2009-12/experts.po: error: stale-catalog: the catalog is out of "
        "date with its template; run `translate-flow update -l ru`" in out
    )
    assert "run `translate-flow update -l kk`" in out
    assert ru.read_bytes() == before  # a dry run
    assert _run(project) == 1  # and the dry run did not record the stale group as done
    assert "stale-catalog" in capsys.readouterr().out
    assert main(["update", "--project", str(project)]) == 0
    assert _run(project) == 0


def test_unreadable_catalog_is_reported_and_the_others_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _complete(_project(tmp_path))
    path = project / "locale/kk/LC_MESSAGES/2009-12/experts.po"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert _run(project) == 1
    out = capsys.readouterr().out
    assert "kk/LC_MESSAGES/2009-12/experts.po:1: error: catalog: starts with a UTF-8 byte" in out
    assert re.search(r"^ru +100\.0%", out, re.MULTILINE)


def test_plural_forms_count_must_match_the_header(tmp_path: Path) -> None:
    project = _project(tmp_path, languages='["ru"]')
    path = _write_po(project, "ru", RU)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(
            '\nmsgid "%d expert"\nmsgid_plural "%d experts"\n'
            'msgstr[0] "%d эксперт"\nmsgstr[1] "%d эксперта"\n'
        )
    report = _report(project)
    (problem,) = [p for p in report.problems if p.check == "catalog"]
    assert problem.level == "error"
    assert "msgstr[0, 1] but the header's Plural-Forms needs msgstr[0] to msgstr[2]" in (
        problem.message
    )
    assert report.languages[0].counts.count("untranslated", "messages") == 5


def test_every_plural_form_must_be_filled_in(tmp_path: Path) -> None:
    project = _project(tmp_path, languages='["ru"]')
    path = _write_po(project, "ru", RU)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(
            '\nmsgid "%d expert"\nmsgid_plural "%d experts"\n'
            'msgstr[0] "%d эксперт"\nmsgstr[1] "%d эксперта"\nmsgstr[2] ""\n'
        )
    problems = [p for p in _report(project).problems if p.check == "plural-forms"]
    assert [p.message for p in problems] == ["a plural form is empty; fill in every form"]


def test_header_with_non_standard_nplurals_is_a_warning(tmp_path: Path) -> None:
    project = _project(tmp_path, languages='["ru"]')
    path = _write_po(project, "ru", RU)
    text = path.read_text(encoding="utf-8").replace("nplurals=3", "nplurals=4")
    path.write_text(text, encoding="utf-8")
    (problem,) = [p for p in _report(project).problems if p.check != "stale-catalog"]
    assert (problem.check, problem.level) == ("plural-forms", "warning")
    assert "ru has 3 plural forms" in problem.message


# -- outputs ------------------------------------------------------------------------------------


def test_json_report_follows_schema_version_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    wrong = dict(RU)
    wrong["Participants discussed the next steps."] = "Участники обсудили дальнейшие шаги"
    _write_po(project, "ru", wrong)
    _write_po(project, "kk", {})
    capsys.readouterr()  # extract's output
    assert _run(project, "--format", "json", "--min-complete", "50") == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "schema",
        "schema_version",
        "tool",
        "passed",
        "exit_status",
        "strict",
        "summary",
        "languages",
        "problems",
    }
    assert (data["schema"], data["schema_version"]) == ("translate-flow/check", 1)
    assert (data["passed"], data["exit_status"]) == (False, 1)
    ru, kk = data["languages"]
    assert (ru["language"], ru["name"], ru["passed"], kk["passed"]) == (
        "ru",
        "Russian",
        True,
        False,
    )
    assert ru["min_complete"] == 50.0
    count_keys = {"messages", "words"}
    for key in ("total", "reviewed", "complete", "failing", "machine", "memory", "fuzzy"):
        assert set(ru[key]) == count_keys
    assert ru["percent_complete"] == {"words": 100.0, "messages": 100.0}
    (issue,) = ru["issues"]
    (article,) = issue["articles"]
    assert article["path"] == "locale/ru/LC_MESSAGES/2009-12/experts.po"
    assert article["article"] == "experts" and issue["issue"] == "2009-12"
    assert {"path", "line", "level", "check", "message"} == set(data["problems"][0])
    checks = {p["check"] for p in data["problems"]}
    assert checks == {"end-punctuation", "min-complete"}


def test_github_format_prints_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _complete(_project(tmp_path))
    wrong = dict(RU)
    wrong["Participants discussed the next steps."] = "Участники обсудили 100% шаги"
    _write_po(project, "ru", wrong)
    assert _run(project, "--format", "github") == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("::warning"))
    assert line.startswith("::warning file=locale/ru/LC_MESSAGES/2009-12/experts.po,line=")
    assert ",title=numbers::numbers differ from the English: not in the English 100" in line
    end = next(x for x in out.splitlines() if "end-punctuation" in x)
    assert end.startswith("::warning ")


def test_github_annotations_escape_their_data_and_properties() -> None:
    problem = Problem("a,b:c.po", 3, "error", "50% done\nnext", "rst")
    report = CheckReport((), (problem,), strict=False)
    assert (
        github_annotations(report)
        == "::error file=a%2Cb%3Ac.po,line=3,title=rst::50%25 done%0Anext\n"
    )


def test_summary_file_gets_a_markdown_table(tmp_path: Path) -> None:
    project = _complete(_project(tmp_path))
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    assert _run(project, "--summary", str(summary)) == 0
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n## ✅ Translations: check passed")
    assert "| Russian (`ru`) | 100.0% | 100.0% | 5 | 0 | 0 | 0 | 0 | 0 | ✅ min 0% |" in text


def test_badges_are_written_per_language_and_only_when_changed(tmp_path: Path) -> None:
    project = _complete(_project(tmp_path))
    assert main(["check", "--project", str(project)]) == 0
    badge = project / "output/badges/ru.svg"
    svg = badge.read_text(encoding="utf-8")
    assert svg.startswith("<svg ") and ">Russian</text>" in svg and ">100%</text>" in svg
    ElementTree.fromstring(svg)  # well-formed XML
    assert (project / "output/badges/kk.svg").is_file()
    mtime = badge.stat().st_mtime_ns
    assert main(["check", "--project", str(project)]) == 0
    assert badge.stat().st_mtime_ns == mtime


# -- the sample project -------------------------------------------------------------------------


def test_sample_project_russian_is_complete_and_free_of_errors(
    sample_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--project", str(sample_project), "-l", "ru", "--no-badges"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^ru +100\.0% +100\.0%", out, re.MULTILINE)
    assert " error: " not in out


def test_sample_project_verbose_lists_every_article(
    sample_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--project", str(sample_project), "-v", "--no-badges"])
    out = capsys.readouterr().out
    articles = sorted(p.stem for p in (sample_project / "source/2009-12").glob("*.rst"))
    for article in articles:
        assert f"    {article} " in out


# -- the plain-text fast path ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Participants discussed the next steps.",
        "Около 1 500 экспертов встретились 2–3 ноября 2009 года.",
        "The note: read it.",
        "«Кавычки» и (скобки) — тире.",
        "Oʻzbekiston 2009-yil.",
    ],
)
def test_plain_texts_parse_as_one_paragraph_of_text(text: str) -> None:
    assert is_plain(text)
    inline, problems, single = parse_inline(text)
    assert single and not problems
    assert [type(node).__name__ for node in inline] == ["Text"]


@pytest.mark.parametrize(
    "text",
    [
        "*emphasis* here",
        "a ``literal``",
        "see http://example.org",
        "mail x@example.org",
        "- a list item",
        "1. an enumerated item",
        "A. Smith said",
        "(a) item",
        "a |sub|",
        "a [1]_ footnote",
        "word_ reference",
        "two\n\nparagraphs",
        "   indented",
        "Example::",
        "control\u202echaracter",
        "====",
    ],
)
def test_texts_that_may_hold_markup_take_the_full_parse(text: str) -> None:
    assert not is_plain(text)


def test_counts_of_an_empty_catalog_are_complete() -> None:
    assert Counts().percent("words") == 100.0


# -- rst validity and markup parity (from validate) ------------------------------------------


@pytest.mark.parametrize(
    ("msgstr", "check_name"),
    [
        ("*Жаңа орталық ``CARICC`` ашылды.", "parse-error"),  # unbalanced emphasis
        ("*Жаңа* орталық ``CARICC``тың қызметкерлері.", "parse-error"),  # suffix glued
        ("*Жаңа* :evil:`орталық` ``CARICC``.", "parse-error"),  # unknown role
        ("*Жаңа* орталық ``CARICC``.\n\n.. raw:: html\n\n   <script>", "raw-or-include"),
        ("*Жаңа* `орталық <javascript:alert(1)>`_ ``CARICC``.", "unsafe-url"),
    ],
)
def test_broken_markup_is_an_error(msgstr: str, check_name: str) -> None:
    msgid = "The *new* centre opened with ``CARICC`` staff."
    findings = markup_findings(msgid, msgstr, kind="paragraph")
    assert check_name in {f.check for f in findings}
    assert all(f.level == "error" for f in findings if f.check == check_name)


@pytest.mark.parametrize(
    "msgstr",
    [
        "*Жаңа* орталық ``CARICC``\\ тың қызметкерлерімен ашылды.",  # escaped suffix
        "``CARICC`` қызметкерлерімен *жаңа* орталық ашылды.",  # order changed
    ],
)
def test_correct_markup_passes(msgstr: str) -> None:
    msgid = "The *new* centre opened with ``CARICC`` staff."
    assert markup_findings(msgid, msgstr, kind="paragraph") == []


def test_dropped_link_or_literal_is_a_parity_warning() -> None:
    msgid = "Read the `report <https://x.org/a>`_ on ``CARICC`` [#]_."
    findings = markup_findings(msgid, "Читайте доклад о CARICC [#]_.", kind="paragraph")
    assert [(f.check, f.level) for f in findings] == [("literals", "warning"), ("urls", "warning")]
    changed = markup_findings(
        msgid, "Читайте `доклад <https://evil.example/a>`_ о ``CARICC`` [#]_.", kind="paragraph"
    )
    assert [f.message for f in changed] == [
        "link URLs differ from the msgid: missing https://x.org/a; "
        "not in the msgid https://evil.example/a"
    ]


def test_alt_text_is_not_parsed_as_rst(tmp_path: Path) -> None:
    assert markup_findings("A *map* here", "Карта *здесь", kind="image") == []


# -- the cache ------------------------------------------------------------------------------


def test_second_run_reuses_unchanged_catalogs_and_rechecks_changed_ones(tmp_path: Path) -> None:
    project = _complete(_project(tmp_path))
    first = _report(project)
    assert (project / ".translate-flow/check.json").is_file()
    assert _report(project) == first
    broken = dict(RU)
    broken["The *new* centre opened with ``CARICC`` staff."] = "*Новый центр."
    _write_po(project, "ru", broken)
    again = _report(project)
    assert again.status == 1
    assert {p.check for p in again.problems} >= {"parse-error"}
    assert again.languages[0].counts.count("failing", "messages") == 1
    assert again.languages[1] == first.languages[1]


def test_parallel_check_sharing_update_parses_matches_a_serial_one(tmp_path: Path) -> None:
    files = {
        f"source/{issue}/a{n:02}.rst": f"Article {n}\n==========\n\nThe *text* {n} of {issue}.\n"
        for issue in ("2009-11", "2009-12")
        for n in range(9)
    }
    project = make_project(tmp_path, files)
    config = load_config(project)
    pipeline.extract(config)
    pipeline.update(config)
    for n in range(0, 9, 2):
        path = project / "locale" / "ru" / "LC_MESSAGES" / "2009-11" / f"a{n:02}.po"
        po = polib.pofile(str(path))
        po.find(f"The *text* {n} of 2009-11.").msgstr = f"*Текст {n} из 2009-11."
        po.save(str(path))
    reports = []
    for jobs in (1, 2):
        shutil.rmtree(project / ".translate-flow", ignore_errors=True)
        reports.append(check(config, languages=config.languages, jobs=jobs))
    serial, parallel = reports
    assert serial.problems == parallel.problems
    assert [r.counts for r in serial.languages] == [r.counts for r in parallel.languages]
    checks = {p.check for p in serial.problems}
    assert "stale-catalog" in checks  # saved by polib, not in canonical form
    assert any(p.level == "error" and p.check != "stale-catalog" for p in serial.problems)
