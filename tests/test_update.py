"""`translate-flow update` over a project: merging, safety and quiet diffs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import make_project
from msgfmt import assert_msgfmt_accepts

from translate_flow import catalogs, cli, pipeline
from translate_flow.config import load_config
from translate_flow.files import ChangedOnDisk, Locked, project_lock, write_atomic

ARTICLE_A = """\
=====
Alpha
=====

The Centre is part of on-going efforts to strengthen law enforcement cooperation
among countries on the front line of drug trafficking.

Only around 5 percent is seized in the region.
"""
ARTICLE_B = """\
====
Beta
====

Counter-narcotics partnership has been strengthened over the past few years.
"""


def _project(tmp_path: Path) -> Path:
    root = make_project(
        tmp_path / "p",
        {"source/2009-12/alpha.rst": ARTICLE_A, "source/2009-12/beta.rst": ARTICLE_B},
    )
    _run(root, "extract")
    return root


def _run(root: Path, *args: str) -> int:
    return cli.main([args[0], "--project", str(root), *args[1:]])


def _po(root: Path, language: str, article: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "2009-12" / f"{article}.po"


def _translate(path: Path, msgid: str, msgstr: str) -> None:
    po = catalogs.load_catalog(path)
    po.find(msgid).msgstr = msgstr
    write_atomic(path, catalogs.render(po))


def _all_catalogs(root: Path) -> list[Path]:
    return sorted((root / "locale").glob("*/LC_MESSAGES/*/*.po"))


def test_update_creates_one_valid_catalog_per_language_and_article(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _run(root, "update") == 0
    assert [p.relative_to(root / "locale").parts[0] for p in _all_catalogs(root)] == [
        "kk", "kk", "ru", "ru"
    ]  # fmt: skip
    assert_msgfmt_accepts(*_all_catalogs(root))


def test_second_update_changes_nothing_even_without_its_cache(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _run(root, "update")
    _translate(_po(root, "ru", "alpha"), "Alpha", "Альфа")
    _run(root, "update")
    before = {p: p.read_bytes() for p in _all_catalogs(root)}
    result = pipeline.update(load_config(root))
    assert result.written == [] and result.unchanged == 4
    shutil.rmtree(root / ".translate-flow")
    assert pipeline.update(load_config(root)).written == []
    assert {p: p.read_bytes() for p in _all_catalogs(root)} == before


def test_rewrapped_paragraph_changes_no_catalog(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _run(root, "update")
    _translate(
        _po(root, "kk", "alpha"), "Only around 5 percent is seized in the region.", "Тек 5%."
    )
    _run(root, "update")
    before = {p: p.read_bytes() for p in _all_catalogs(root)}
    source = root / "source/2009-12/alpha.rst"
    source.write_text(source.read_text().replace("percent is seized", "percent\nis seized"))
    _run(root, "extract")
    _run(root, "update")
    after = {p: p.read_bytes() for p in _all_catalogs(root)}
    # Only the line numbers of `#:` may move; here the paragraph starts on the same line.
    assert after == before


def test_paragraph_moved_to_another_article_keeps_its_translation(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _run(root, "update")
    moving = "Only around 5 percent is seized in the region."
    _translate(_po(root, "kk", "alpha"), moving, "Аймақта тек 5 пайызы тәркіленеді.")
    (root / "source/2009-12/alpha.rst").write_text(ARTICLE_A.replace(moving, ""), encoding="utf-8")
    (root / "source/2009-12/beta.rst").write_text(ARTICLE_B + "\n" + moving + "\n")
    _run(root, "extract")
    assert _run(root, "update") == 0
    beta = catalogs.load_catalog(_po(root, "kk", "beta")).find(moving)
    assert beta.msgstr == "Аймақта тек 5 пайызы тәркіленеді." and "fuzzy" not in beta.flags
    alpha = catalogs.load_catalog(_po(root, "kk", "alpha")).find(
        moving, include_obsolete_entries=True
    )
    assert alpha.obsolete  # kept where it was, too
    assert_msgfmt_accepts(*_all_catalogs(root))


def test_reviewed_reference_translation_becomes_a_comment_refreshed_each_update(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)
    _run(root, "update")
    _translate(_po(root, "ru", "beta"), "Beta", "Бета")
    _run(root, "update")
    assert "ru: Бета" in catalogs.load_catalog(_po(root, "kk", "beta")).find("Beta").comment
    assert "ru:" not in (catalogs.load_catalog(_po(root, "ru", "beta")).find("Beta").comment)
    _translate(_po(root, "ru", "beta"), "Beta", "Бета-версия")
    _run(root, "update", "-l", "kk")
    comment = catalogs.load_catalog(_po(root, "kk", "beta")).find("Beta").comment
    assert comment == "document title\nru: Бета-версия"


def test_broken_catalog_is_left_byte_identical_and_others_are_updated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    _run(root, "update")
    broken = _po(root, "kk", "alpha")
    data = broken.read_bytes()[:-20]  # truncated mid-entry
    broken.write_bytes(data)
    (root / "source/2009-12/beta.rst").write_text(ARTICLE_B + "\nA new paragraph.\n")
    _run(root, "extract")
    capsys.readouterr()
    assert _run(root, "update") == 1
    assert broken.read_bytes() == data
    err = capsys.readouterr().err
    assert f"{broken.relative_to(root).as_posix()}:" in err and ": error: " in err
    assert catalogs.load_catalog(_po(root, "kk", "beta")).find("A new paragraph.") is not None
    # Once fixed (here: removed), the next run picks it up: a failed group is never cached.
    broken.unlink()
    assert _run(root, "update") == 0
    assert broken.exists()


def test_catalog_saved_by_a_translator_during_the_run_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    _run(root, "update")
    (root / "source/2009-12/alpha.rst").write_text(ARTICLE_A + "\nNew.\n", encoding="utf-8")
    _run(root, "extract")
    target = _po(root, "kk", "alpha")
    saved_by_editor = target.read_text() + "\n# saved in Poedit\n"
    real_render = catalogs.render

    def render_while_editor_saves(po: catalogs.POFile) -> str:
        if po.metadata.get("Language") == "kk" and po.find("Alpha") is not None:
            target.write_text(saved_by_editor, encoding="utf-8")
        return real_render(po)

    monkeypatch.setattr(catalogs, "render", render_while_editor_saves)
    result = pipeline.update(load_config(root))
    assert target.read_text() == saved_by_editor
    messages = [str(p) for p in result.problems]
    assert any("changed on disk" in m and "run the command again" in m for m in messages)
    assert not list(target.parent.glob(".*.tmp"))


def test_second_run_fails_fast_while_the_project_is_locked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path)
    with project_lock(root):
        with pytest.raises(Locked):
            pipeline.update(load_config(root))
        assert _run(root, "update") == 2
    assert "another translate-flow run" in capsys.readouterr().err
    assert _run(root, "update") == 0


def test_write_refuses_when_file_changed_since_read(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text("one", encoding="utf-8")
    with pytest.raises(ChangedOnDisk):
        write_atomic(path, "two", expected=b"zero")
    assert path.read_text() == "one"


def test_translation_that_became_empty_is_reported(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _run(root, "update")
    _translate(_po(root, "kk", "beta"), "Beta", "Бета")
    _run(root, "update")
    _translate(_po(root, "kk", "beta"), "Beta", "")
    result = pipeline.update(load_config(root))
    warnings = [p for p in result.problems if p.level == "warning"]
    assert len(warnings) == 1 and "had a translation" in warnings[0].message
    assert warnings[0].path.endswith("kk/LC_MESSAGES/2009-12/beta.po") and warnings[0].line


def test_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _run(root, "update", "-l", "xx") == 2


def test_sample_project_catalogs_are_up_to_date(sample_project: Path) -> None:
    """The committed catalogs are what `update` writes: running it changes nothing."""
    result = pipeline.update(load_config(sample_project))
    assert result.written == []
    assert_msgfmt_accepts(*_all_catalogs(sample_project))


def test_parallel_update_writes_the_same_catalogs_as_a_serial_one(tmp_path: Path) -> None:
    files = {
        f"source/{issue}/a{n:02}.rst": f"Article {n}\n==========\n\nText {n} of {issue}.\n"
        for issue in ("2009-11", "2009-12")
        for n in range(9)
    }
    roots = [make_project(tmp_path / name, files) for name in ("serial", "parallel")]
    for root, jobs in zip(roots, ("1", "2"), strict=True):
        assert _run(root, "extract") == 0
        assert _run(root, "update", "--jobs", jobs) == 0
        first = root / "locale" / "ru" / "LC_MESSAGES" / "2009-11" / "a00.po"
        _translate(first, "Text 0 of 2009-11.", "Текст 0.")
        (root / "source" / "2009-11" / "a00.rst").write_text("Article 0\n=========\n\nText 0.\n")
        assert _run(root, "extract") == 0
        assert _run(root, "update", "--jobs", jobs) == 0
    serial, parallel = (
        {p.relative_to(root): p.read_bytes() for p in _all_catalogs(root)} for root in roots
    )
    assert len(serial) == 2 * 9 * len(load_config(roots[0]).languages)
    assert serial == parallel
    assert b'#~ msgid "Text 0 of 2009-11."' in serial[first.relative_to(roots[1])]


# -- the merge digest: what lets a cold run skip merging catalogs that are up to date --------


def _merges(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the catalogs `update` merges (rather than vouching for them by their digest)."""
    merged: list[str] = []
    merge = catalogs.merge

    def counting(pot: catalogs.POFile, old: catalogs.POFile | None, **kwargs: object) -> object:
        merged.append(f"{kwargs['language']}/{pot.metadata['Project-Id-Version']}")
        return merge(pot, old, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(catalogs, "merge", counting)
    return merged


def _stale(root: Path) -> list[str]:
    """What `check`'s stale-catalog gate reports, as CI sees it: a fresh clone, no cache."""
    shutil.rmtree(root / ".translate-flow", ignore_errors=True)
    result = pipeline.update(load_config(root), dry_run=True)
    return [p.path for p in result.problems] + result.written


def test_catalogs_record_what_they_were_merged_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    assert _run(root, "update") == 0
    for path in _all_catalogs(root):
        assert '"X-Merge-Digest: ' in path.read_text(encoding="utf-8")
        assert_msgfmt_accepts(path)
    merged = _merges(monkeypatch)
    assert _stale(root) == []
    assert merged == []  # every catalog vouched for by its digest: nothing merged


def test_edited_template_glossary_or_reference_means_merging_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    assert _run(root, "update") == 0
    _translate(_po(root, "ru", "beta"), "Beta", "Бета")  # the reference language
    merged = _merges(monkeypatch)
    assert "locale/kk/LC_MESSAGES/2009-12/beta.po" in _stale(root)  # its `#. ru:` hint
    assert "kk/2009-12/beta" in merged and "kk/2009-12/alpha" not in merged
    assert _run(root, "update") == 0
    (root / "locale/glossary.csv").write_text("term,note,do-not-translate,kk\nBeta,,,Бета\n")
    assert "locale/kk/LC_MESSAGES/2009-12/beta.po" in _stale(root)
    assert _run(root, "update") == 0
    (root / "source/2009-12/alpha.rst").write_text(ARTICLE_A + "\nA new paragraph.\n")
    assert _run(root, "extract") == 0
    assert "locale/ru/LC_MESSAGES/2009-12/alpha.po" in _stale(root)


def test_hand_edited_catalog_is_compared_in_full_and_never_rewritten_for_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    assert _run(root, "update") == 0
    path = _po(root, "kk", "alpha")
    _translate(path, "Alpha", "Альфа")  # as a translator's editor saves it, digest now stale
    edited = path.read_bytes()
    merged = _merges(monkeypatch)
    assert _stale(root) == []  # same content as update would write: not stale
    assert merged == ["kk/2009-12/alpha"]
    assert _run(root, "update") == 0
    assert path.read_bytes() == edited  # only the digest would differ: the file is left alone
    path.write_text(path.read_text(encoding="utf-8").replace("#. document title\n", "", 1))
    assert _stale(root) == ["locale/kk/LC_MESSAGES/2009-12/alpha.po"]
