"""`translate-flow build`: the localizing transform, what is published, editions, caching."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from conftest import GOLDEN, REPO, make_project

from translate_flow import pipeline
from translate_flow import render as render_module
from translate_flow.catalogs import MT_COMMENT, load_catalog
from translate_flow.config import load_config
from translate_flow.localize import Outcome, Request, Translation
from translate_flow.render import publish_parts, render_document, settings_for

EXTRACT_FIXTURES = sorted((GOLDEN / "extract").glob("*.rst"))

# Constructs the extraction fixtures do not have: section references, inline targets, links
# defined once and used again, auto-numbered footnotes in two paragraphs.
REFERENCES_RST = """\
==========
References
==========

Background
==========

See `Background`_ and the `later section <Details_>`_, `UNODC <https://www.unodc.org/>`_
and _`an inline target`, then UNODC_ again [#first]_.

Details
=======

Back to `an inline target`_ and to the footnotes [#]_ [#first]_ and [*]_.

.. [#first] The first footnote.
.. [#] The second footnote.
.. [*] A symbol footnote.
"""


# The mark is a Latin letter outside ASCII: a Cyrillic one glued to an English word would be a
# look-alike letter of the other script inside a word, which the build refuses (`quality`).
MARK = "ŷ"


def _pseudo_word(match: re.Match[str]) -> str:
    return MARK + match.group(0)


def pseudo(text: str) -> str:
    """A pseudo-translation: every word marked, every piece of markup kept."""
    pieces = re.split(
        r"(``.+?``|\|[^|]+\|_{0,2}|\[[^\]]+\]_|:[\w.+-]+:|_`[^`]+`|`[^`]+`_{0,2}|https?://\S+)",
        text,
    )
    out = []
    for piece in pieces:
        if (
            piece.startswith("``")
            or piece.startswith("|")
            or piece.startswith("[")
            or (
                piece.startswith("_`")
                or piece.startswith("http")
                or re.fullmatch(r":[\w.+-]+:", piece)
            )
        ):
            out.append(piece)
        elif piece.startswith("`"):
            out.append(_pseudo_reference(piece))
        else:
            words = re.sub(r"[A-Za-z]+", _pseudo_word, piece)
            # A simple reference `word_` stays a reference, with the name kept.
            words = re.sub(rf"{MARK}(\w+)__(?!\w)", rf"`{MARK}\1`__", words)
            words = re.sub(
                rf"{MARK}(\w+)_(?![\w_`])", lambda m: f"`{MARK}{m[1]} <{m[1]}_>`__", words
            )
            out.append(words)
    return "".join(out)


def _pseudo_reference(piece: str) -> str:
    match = re.fullmatch(r"`([^`<]*?)\s*(<[^>]+>)?`(_{0,2})", piece, re.DOTALL)
    if match is None:
        return piece
    text, target, underscores = match.groups()
    marked = re.sub(r"[A-Za-z]+", _pseudo_word, text)
    if not underscores:  # interpreted text with a role before it
        return f"`{marked}`"
    if target:
        return f"`{marked} {target}`{underscores}"
    if underscores == "__":
        return f"`{marked}`__"
    return f"`{marked} <{text}_>`__"


def _write_catalogs(project: Path, language: str, msgstr_of: object) -> None:
    config = load_config(project)
    for pot_path in sorted(config.templates_dir.glob("*/*.pot")):
        po = load_catalog(pot_path)
        for entry in po:
            entry.msgstr = msgstr_of(entry.msgid)  # type: ignore[operator]
        target = config.po_path(language, pot_path.parent.name, pot_path.stem)
        target.parent.mkdir(parents=True, exist_ok=True)
        po.metadata["Language"] = language
        po.save(str(target))


def _rich_project(root: Path) -> Path:
    files = {f"source/2009-12/{p.name}": p.read_text(encoding="utf-8") for p in EXTRACT_FIXTURES}
    files["source/2009-12/references.rst"] = REFERENCES_RST
    project = make_project(root, files, languages='["ru", "kk"]')
    pipeline.extract(load_config(project))
    return project


def _body(page: str) -> str:
    return page.split("<main>", 1)[1].split("</main>", 1)[0]


def _visible_words(html: str) -> list[str]:
    html = re.sub(r"<code[^>]*>.*?</code>", " ", html, flags=re.DOTALL)
    html = re.sub(r'<span class="fn-bracket">.*?</span>', " ", html)
    # An inline target's text is its name, which other paragraphs refer to: it stays English
    # (docs/translators.md says so).
    html = re.sub(r'<span class="target" id="[^"]*">.*?</span>', " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.findall(r"[^\W\d_]+", text)


# -- identity -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [*EXTRACT_FIXTURES, None], ids=lambda p: p.name if p else "refs")
def test_identity_translation_renders_exactly_like_docutils(path: Path | None) -> None:
    text = path.read_text(encoding="utf-8") if path else REFERENCES_RST
    settings = settings_for("ru", id_prefix="a-")
    english = publish_parts(text, "a.rst", settings, None)
    identity = _identity_translations(text)
    outcome = Outcome()
    request = Request(identity, "a.po", "a.rst", False, False, outcome)
    localized = publish_parts(text, "a.rst", settings, request)
    assert outcome.translated_words == outcome.words > 0
    # msgids are whitespace-normalised (re-wrapping a paragraph keeps its msgid), so line
    # breaks inside a paragraph become spaces; everything else must be identical.
    for part in ("title", "html_subtitle", "docinfo", "body"):
        assert _spaces(localized[part]) == _spaces(english[part]), part


def _spaces(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def _identity_translations(text: str) -> dict[str, Translation]:
    import docutils.utils
    from docutils.parsers.rst import Parser

    from translate_flow.rst import (
        SOURCE_SETTINGS,
        iter_messages,
        settings_from,
    )

    document = docutils.utils.new_document("a.rst", settings_from(SOURCE_SETTINGS))
    Parser().parse(text, document)
    return {m.text: Translation(m.text, "translated", 1) for _, m in iter_messages(document)}


# -- coverage -------------------------------------------------------------------------------


def test_pseudo_translation_leaves_no_english_and_every_internal_link_resolves(
    tmp_path: Path,
) -> None:
    project = _rich_project(tmp_path / "p")
    _write_catalogs(project, "ru", pseudo)
    result = pipeline.build(load_config(project), languages=["ru"], jobs=1)
    assert [str(p) for p in result.problems if p.level == "error"] == []
    page = (project / "output/ru/2009-12/index.html").read_text(encoding="utf-8")
    body = _body(page)
    english = [w for w in _visible_words(body) if w.isascii() and w not in {"CIT2009", "E", "mc"}]
    assert english == []
    ids = set(re.findall(r'id="([^"]+)"', page))
    targets = re.findall(r'href="#([^"]+)"', page)
    assert targets
    assert sorted(set(targets) - ids) == []


def test_sample_issue_every_extracted_message_is_found_again(sample_project: Path) -> None:
    config = load_config(sample_project)
    pipeline.extract(config)
    for pot_path in sorted(config.templates_dir.glob("2009-12/*.pot")):
        msgids = [e.msgid for e in load_catalog(pot_path)]
        source = config.source_dir / "2009-12" / f"{pot_path.stem}.rst"
        outcome = Outcome()
        translations = {m: Translation(pseudo(m), "translated", 1) for m in msgids}
        request = Request(translations, "x.po", "x.rst", False, pot_path.stem == "index", outcome)
        publish_parts(source.read_text(encoding="utf-8"), str(source), settings_for("ru"), request)
        assert outcome.seen == set(msgids), pot_path.name
        assert outcome.translated_words == outcome.words
        assert outcome.problems == []


# -- the gate, end to end -------------------------------------------------------------------

ARTICLE = """\
=====
Title
=====

Read the `report <https://www.unodc.org/report>`_ with ``--force`` now.

A second paragraph that is fine.
"""


@pytest.mark.parametrize(
    ("msgstr", "check"),
    [
        ("Читайте `доклад <javascript:alert(1)>`_ с ``--force``.", "unsafe-url"),
        ("Читайте доклад.\n\n- список", "block-markup"),
        ("Читайте.\n\n.. raw:: html\n\n   <script>alert(1)</script>", "raw-or-include"),
        (".. include:: /etc/passwd", "raw-or-include"),
        ("Читайте :sup:`доклад` с ``--force``.", "roles"),
        ("Читайте |x| с ``--force``.", "substitutions"),
        ("Читайте [1]_ с ``--force``.", "footnotes"),
        ("Читайте [CIT]_ с ``--force``.", "citations"),
        ("Читайте с ``--f\u043erce``.", "literals"),
        ("Читайте \u202eс ``--force``.", "control-character"),
        ("Читайте *доклад с ``--force``.", "parse-error"),
        # What `check` calls a script error: a Latin "e" inside a Russian word, a zero-width space.
        ("Читайтe `доклад <https://www.unodc.org/report>`_ с ``--force``.", "script"),
        ("Чи\u200bтайте `доклад <https://www.unodc.org/report>`_ с ``--force``.", "script"),
    ],
)
def test_refused_translation_falls_back_to_english_with_an_error_line(
    tmp_path: Path, msgstr: str, check: str
) -> None:
    project = make_project(tmp_path / "p", {"source/2009-12/a.rst": ARTICLE})
    config = load_config(project)
    pipeline.extract(config)
    bad = "Read the `report <https://www.unodc.org/report>`_ with ``--force`` now."
    translations = {
        "Title": "Заголовок",
        bad: msgstr,
        "A second paragraph that is fine.": "Хорошо.",
    }
    _write_catalogs(project, "ru", lambda m: translations[m])
    po = polib.pofile(str(config.po_path("ru", "2009-12", "a")))
    first = next(e.linenum for e in po if e.msgid == bad)
    lines = config.po_path("ru", "2009-12", "a").read_text(encoding="utf-8").splitlines()
    # The msgid line, as check reports it, not the entry's first comment line.
    line = next(n for n in range(first, len(lines) + 1) if lines[n - 1].startswith("msgid "))
    assert line > first
    result = pipeline.build(config, languages=["ru"], jobs=1)
    errors = [str(p) for p in result.problems if p.level == "error"]
    prefix = f"locale/ru/LC_MESSAGES/2009-12/a.po:{line}: error: {check}: "
    assert any(e.startswith(prefix) for e in errors), errors
    assert any(e.endswith("source/2009-12/a.rst:5 is published in English") for e in errors)
    page = (project / "output/ru/2009-12/a.html").read_text(encoding="utf-8")
    assert '<p><span lang="en">Read the <a' in page
    assert "<p>Хорошо.</p>" in page
    assert "javascript" not in page and "<script" not in page and "passwd" not in page


def test_sanitizer_removes_what_a_source_could_smuggle(tmp_path: Path) -> None:
    rendered = render_document(
        text=".. raw:: html\n\n   <script>alert(1)</script><a href='javascript:x'>x</a>\n",
        source="a.rst",
        language="en",
        translations={},
        catalog="",
        draft=False,
        front_page=False,
        id_prefix="",
    )
    assert "<script" not in rendered.body and "javascript" not in rendered.body


# -- what is published ----------------------------------------------------------------------


def _two_language_project(root: Path) -> Path:
    project = make_project(root, {"source/2009-12/a.rst": ARTICLE})
    pipeline.extract(load_config(project))
    return project


def test_fuzzy_and_machine_drafts_are_english_unless_draft(tmp_path: Path) -> None:
    project = _two_language_project(tmp_path / "p")
    config = load_config(project)
    _write_catalogs(project, "ru", lambda m: "Заголовок" if m == "Title" else "")
    path = config.po_path("ru", "2009-12", "a")
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid.startswith("A second"):
            entry.msgstr, entry.flags = "Машинный черновик.", ["fuzzy"]
            entry.tcomment = f"{MT_COMMENT} argos en-ru"
        elif entry.msgid.startswith("Read"):
            entry.msgstr, entry.flags = "Старый перевод с ``--force``.", ["fuzzy"]
    po.save(str(path))
    pipeline.build(config, languages=["ru"], jobs=1)
    page = (project / "output/ru/2009-12/a.html").read_text(encoding="utf-8")
    assert "Машинный" not in page and "Старый" not in page
    assert '<span lang="en">A second paragraph that is fine.</span>' in page
    pipeline.build(config, languages=["ru"], draft=True, jobs=1)
    draft = (project / "output/draft/ru/2009-12/a.html").read_text(encoding="utf-8")
    assert '<p class="tf-machine">Машинный черновик.</p>' in draft
    assert '<p class="tf-fuzzy">Старый перевод' in draft
    assert 'class="draft-notice"' in draft and "машинный черновик" in draft


def test_incomplete_edition_is_held_back_and_previous_output_kept(tmp_path: Path) -> None:
    project = _two_language_project(tmp_path / "p")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "min-complete = { kk = 80 }\n")
    config = load_config(project)
    _write_catalogs(project, "kk", lambda m: "Тақырып" if m == "Title" else "")
    old = project / "output/kk/2009-12/index.html"
    old.parent.mkdir(parents=True)
    old.write_text("previous edition")
    result = pipeline.build(config, jobs=1)
    assert old.read_text() == "previous edition"
    assert any(n.startswith("kk/2009-12: held back, 7% of words") for n in result.notes)
    assert (project / "output/ru/2009-12/index.html").is_file()
    listing = (project / "output/index.html").read_text(encoding="utf-8")
    assert "held back (min-complete 80%)" in listing


def _switcher(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text.split('<nav class="languages"', 1)[1].split("</nav>", 1)[0]


def test_switcher_links_only_editions_that_exist(tmp_path: Path) -> None:
    project = _two_language_project(tmp_path / "p")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "min-complete = { kk = 80 }\n")
    config = load_config(project)
    _write_catalogs(project, "kk", lambda m: "Тақырып" if m == "Title" else "")
    pipeline.build(config, jobs=1)
    assert not (project / "output/kk/2009-12").exists()  # held back, nothing before
    for page in ("output/en/2009-12/a.html", "output/ru/2009-12/index.html"):
        switcher = _switcher(project / page)
        assert 'href="../../ru/2009-12/' in switcher or 'href="../../en/2009-12/' in switcher
        assert "kk/" not in switcher and 'lang="kk"' not in switcher, page


def test_switcher_gains_a_language_once_its_edition_is_published(tmp_path: Path) -> None:
    project = _two_language_project(tmp_path / "p")
    config = load_config(project)
    _write_catalogs(project, "ru", lambda m: "Заголовок" if m == "Title" else "")
    pipeline.build(config, languages=["ru"], jobs=1)
    page = project / "output/ru/2009-12/a.html"
    assert 'href="../../en/2009-12/a.html"' in _switcher(page)
    assert "kk/" not in _switcher(page)
    second = pipeline.build(config, jobs=1)  # kk built now: en and ru pages link it
    assert 'href="../../kk/2009-12/a.html"' in _switcher(page)
    assert "output/ru/2009-12/a.html" in second.written
    third = pipeline.build(config, jobs=1)
    assert third.written == [] and third.unchanged == 3


def test_article_count_takes_the_plural_form_of_the_language(tmp_path: Path) -> None:
    project = _two_language_project(tmp_path / "p")
    pipeline.build(load_config(project), jobs=1)
    ru = (project / "output/ru/2009-12/index.html").read_text(encoding="utf-8")
    en = (project / "output/en/2009-12/index.html").read_text(encoding="utf-8")
    assert " · 1 статья</p>" in ru and " · 1 article</p>" in en


def test_second_build_with_nothing_changed_renders_nothing(tmp_path: Path) -> None:
    project = _two_language_project(tmp_path / "p")
    config = load_config(project)
    _write_catalogs(project, "ru", lambda m: "Заголовок" if m == "Title" else "")
    first = pipeline.build(config, jobs=1)
    assert first.written
    second = pipeline.build(config, jobs=1)
    assert second.written == [] and second.unchanged == 3
    path = config.po_path("ru", "2009-12", "a")
    path.write_text(path.read_text().replace('msgstr "Заголовок"', 'msgstr "Название"'))
    third = pipeline.build(config, jobs=1)
    assert sorted(third.written) == ["output/ru/2009-12/a.html", "output/ru/2009-12/index.html"]
    assert all("/en/" not in w and "/kk/" not in w for w in third.written)


def test_unchanged_files_are_known_by_size_and_mtime_and_edits_by_content(tmp_path: Path) -> None:
    project = _two_language_project(tmp_path / "p")
    config = load_config(project)
    _write_catalogs(project, "ru", lambda m: "Заголовок" if m == "Title" else "")
    pipeline.build(config, jobs=1)
    path = config.po_path("ru", "2009-12", "a")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched, same bytes
    touched = pipeline.build(config, jobs=1)
    assert touched.written == [] and touched.unchanged == 3
    same_size = path.read_text().replace('msgstr "Заголовок"', 'msgstr "Заголовак"')
    path.write_text(same_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2 * 10**9))
    edited = pipeline.build(config, jobs=1)
    assert "output/ru/2009-12/a.html" in edited.written
    (project / "output/index.html").unlink()
    assert pipeline.build(config, jobs=1).written == ["output/index.html"]


# -- images -----------------------------------------------------------------------------------

FIGURES = """\
=====
Title
=====

.. figure:: images/photo.png
   :alt: A photo

   The caption.

.. image:: images/missing.png

.. image:: ../../outside.png

.. image:: images/link.png

.. image:: https://www.unodc.org/logo.png
"""


def test_images_next_to_the_sources_are_copied_into_every_edition(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"source/2009-12/a.rst": FIGURES})
    photo = project / "source/2009-12/images/photo.png"
    photo.parent.mkdir()
    photo.write_bytes(b"\x89PNG photo")
    (tmp_path / "outside.png").write_bytes(b"secret")
    (tmp_path / "p/source/2009-12/images/link.png").symlink_to(tmp_path / "outside.png")
    config = load_config(project)
    pipeline.extract(config)
    result = pipeline.build(config, jobs=1)
    for lang in ("en", "ru", "kk"):
        assert (
            project / f"output/{lang}/2009-12/images/photo.png"
        ).read_bytes() == photo.read_bytes()
        page = (project / f"output/{lang}/2009-12/a.html").read_text(encoding="utf-8")
        assert '<img alt="A photo" src="images/photo.png"' in page
    assert sorted(str(p) for p in result.problems if p.level == "warning") == [
        "source/2009-12/a.rst:10: warning: image images/missing.png not found",
        "source/2009-12/a.rst:12: warning: image ../../outside.png is outside source/; "
        "it is not published",
        "source/2009-12/a.rst:14: warning: image images/link.png is outside source/; "
        "it is not published",
    ]
    copied = sorted(p.name for p in (project / "output").rglob("*.png"))
    assert copied == ["photo.png"] * 3
    assert pipeline.build(config, jobs=1).written == []
    photo.write_bytes(b"\x89PNG a new photo")
    again = pipeline.build(config, jobs=1)
    assert sorted(again.written) == [
        f"output/{lang}/2009-12/images/photo.png" for lang in ("en", "kk", "ru")
    ]
    assert (project / "output/kk/2009-12/images/photo.png").read_bytes() == photo.read_bytes()


# -- the sample issue -----------------------------------------------------------------------


def test_russian_sample_edition_has_date_switcher_and_no_english(sample_project: Path) -> None:
    config = load_config(sample_project)
    result = pipeline.build(config, languages=["ru"], jobs=1)
    assert [p for p in result.problems if p.level == "error"] == []
    page = (sample_project / "output/ru/2009-12/index.html").read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="ru">')
    assert "31 декабря 2009\u202fг." in page  # Babel: narrow no-break space
    assert " · 17 статей</p>" in page
    assert 'href="../../en/2009-12/index.html"' in page and ">English<" in page
    assert 'href="../../kk/' not in page  # only ru was built: no kk edition to link
    assert 'lang="en"' not in _body(page)
    assert "«" in page
    article = sample_project / "output/ru/2009-12/caricc-inaugurated.html"
    assert "В Казахстане открыт центр" in article.read_text(encoding="utf-8")
    english = sample_project / "output/en/2009-12/index.html"
    assert english.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="en">')
    listing = (sample_project / "output/index.html").read_text(encoding="utf-8")
    assert (
        "<h2>UNODC Regional Office for Central Asia — Newsletter, December 2009 "
        "<small>December 31, 2009 · 2009-12</small></h2>"
    ) in listing  # the issue by its title, not only its folder


def test_docutils_labels_in_the_edition_language(tmp_path: Path) -> None:
    text = ".. note:: Drugs kill.\n\n.. contents::\n\nA\n=\n\nText.\n"
    for language, note, contents in (
        ("ru", "Примечание", "Содержание"),
        ("kk", "Ескертпе", "Мазмұны"),
    ):
        rendered = render_document(
            text=text,
            source="a.rst",
            language=language,
            translations={},
            catalog="",
            draft=False,
            front_page=False,
            id_prefix="",
        )
        assert note in rendered.body and contents in rendered.body


@pytest.mark.parametrize("fixture", [*EXTRACT_FIXTURES, None], ids=lambda f: f and f.stem)
def test_a_source_parsed_once_renders_every_language_as_its_own_parse(
    fixture: Path | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The build parses a source once and renders each language from a copy of the doctree.
    text = fixture.read_text(encoding="utf-8") if fixture else REFERENCES_RST
    text += "\n.. contents:: Overview\n"  # a titled contents topic is the same in every language

    def render(language: str) -> object:
        return render_document(
            text=text,
            source="a.rst",
            language=language,
            translations={},
            catalog="",
            draft=False,
            front_page=False,
            id_prefix="a-",
        )

    shared = {lang: render(lang) for lang in ("en", "ru", "kk", "tk")}
    assert render_module._parsed(text, "a.rst", "a-", "en") is not None
    monkeypatch.setattr(render_module, "_parsed", lambda *args: None)
    assert shared == {lang: render(lang) for lang in ("en", "ru", "kk", "tk")}


def test_unchanged_repository_sample_is_untouched(sample_project: Path) -> None:
    # build never writes into locale/ or source/.
    before = {p: p.read_bytes() for p in (sample_project / "locale").rglob("*.po")}
    pipeline.build(load_config(sample_project), languages=["ru"], jobs=1)
    assert before == {p: p.read_bytes() for p in (sample_project / "locale").rglob("*.po")}


# -- headless browser -----------------------------------------------------------------------


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="Debian's chromium is not installed")
def test_russian_edition_renders_in_headless_chromium(sample_project: Path, tmp_path: Path) -> None:
    import subprocess

    pipeline.build(load_config(sample_project), languages=["ru"], jobs=1)
    page = sample_project / "output/ru/2009-12/index.html"
    shot = REPO / "output" / "test-screenshot-ru.png"
    shot.parent.mkdir(exist_ok=True)
    flags = [
        _chromium() or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr",
        "--v=0",
    ]  # fmt: skip
    dom = subprocess.run(
        [*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert "В Казахстане открыт центр" in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    assert console == []
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert shot.stat().st_size > 10_000
