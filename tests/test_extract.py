"""`translate-flow extract` end to end: the sample issue, idempotency and the error paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_project

from translate_flow.catalogs import template_is_current
from translate_flow.cli import main


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.pot"))}


def test_sample_issue_extracts_one_template_per_article(
    sample_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = sample_project / "locale" / "templates" / "2009-12"
    for pot in templates.glob("*.pot"):
        pot.unlink()
    assert main(["extract", "--project", str(sample_project)]) == 0
    articles = sorted(p.stem for p in (sample_project / "source" / "2009-12").glob("*.rst"))
    assert sorted(p.stem for p in templates.glob("*.pot")) == articles
    caricc = (templates / "caricc-inaugurated.pot").read_text(encoding="utf-8")
    assert "#: source/2009-12/caricc-inaugurated.rst:" in caricc
    assert "#. document title" in caricc
    assert capsys.readouterr().err == ""


def test_committed_templates_are_up_to_date(sample_project: Path) -> None:
    before = _snapshot(sample_project / "locale")
    assert before, "the sample templates are committed under locale/templates"
    assert main(["extract", "--project", str(sample_project)]) == 0
    assert _snapshot(sample_project / "locale") == before


def test_second_run_changes_no_file(sample_project: Path) -> None:
    assert main(["extract", "--project", str(sample_project)]) == 0
    first = _snapshot(sample_project / "locale")
    mtimes = {p: p.stat().st_mtime_ns for p in (sample_project / "locale").rglob("*.pot")}
    assert main(["extract", "--project", str(sample_project)]) == 0
    assert _snapshot(sample_project / "locale") == first
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_rewrapped_paragraph_changes_only_the_digest_of_the_template(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"source/i/a.rst": "One two\nthree four.\n"})
    assert main(["extract", "--project", str(project)]) == 0
    pot = project / "locale" / "templates" / "i" / "a.pot"
    before = pot.read_text(encoding="utf-8").splitlines()
    (project / "source" / "i" / "a.rst").write_text("One\ntwo three\nfour.\n", encoding="utf-8")
    assert main(["extract", "--project", str(project)]) == 0
    after = pot.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert [old.split(":")[0] for old, _ in changed] == ['"X-Source-Digest']


def test_template_records_the_digest_of_its_article(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"source/i/a.rst": "One paragraph.\n"})
    assert main(["extract", "--project", str(project)]) == 0
    text = (project / "locale/templates/i/a.pot").read_text(encoding="utf-8")
    source = (project / "source/i/a.rst").read_bytes()
    assert template_is_current(text, source=source)
    assert not template_is_current(text, source=source + b"\nMore.\n")
    assert not template_is_current(text.replace("One paragraph.", "One paragraf."), source=source)
    without = "".join(line for line in text.splitlines(True) if "X-Source-Digest" not in line)
    assert not template_is_current(without, source=source)  # written by an older release


def test_creation_date_moves_only_with_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path, {"source/i/a.rst": "First text.\n"})
    assert main(["extract", "--project", str(project)]) == 0
    pot = project / "locale" / "templates" / "i" / "a.pot"
    assert '"POT-Creation-Date: 2009-12-31 00:00+0000\\n"' in pot.read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1300000000")
    (project / ".translate-flow").joinpath("extract.json").unlink()
    assert main(["extract", "--project", str(project)]) == 0
    assert "2009-12-31 00:00" in pot.read_text(encoding="utf-8")
    (project / "source" / "i" / "a.rst").write_text("Changed text.\n", encoding="utf-8")
    assert main(["extract", "--project", str(project)]) == 0
    assert '"POT-Creation-Date: 2011-03-13 07:06+0000\\n"' in pot.read_text(encoding="utf-8")


def test_docutils_problem_is_reported_and_the_rest_is_still_extracted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(
        tmp_path,
        {
            "source/i/a.rst": "Title\n=====\n\nA `missing link`_ here.\n",
            "source/i/b.rst": "A good article.\n",
        },
    )
    assert main(["extract", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert 'source/i/a.rst:4: error: Unknown target name: "missing link".' in err
    templates = project / "locale" / "templates" / "i"
    assert "A `missing link`_ here." in (templates / "a.pot").read_text(encoding="utf-8")
    assert (templates / "b.pot").is_file()


def test_problems_are_reported_again_when_nothing_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path, {"source/i/a.rst": "A `missing link`_ here.\n"})
    assert main(["extract", "--project", str(project)]) == 1
    capsys.readouterr()
    assert main(["extract", "--project", str(project)]) == 1
    assert "Unknown target name" in capsys.readouterr().err


def test_unreadable_article_keeps_its_old_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(
        tmp_path, {"source/i/a.rst": "Old text.\n", "source/i/b.rst": "Other.\n"}
    )
    assert main(["extract", "--project", str(project)]) == 0
    pot = project / "locale" / "templates" / "i" / "a.pot"
    before = pot.read_bytes()
    (project / "source" / "i" / "a.rst").write_bytes(b"Caf\xe9 in Latin-1.\n")
    (project / "source" / "i" / "b.rst").write_text("Other, changed.\n", encoding="utf-8")
    assert main(["extract", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "source/i/a.rst: error: cannot read: not UTF-8 (byte 3)" in err
    assert pot.read_bytes() == before
    b_pot = project / "locale" / "templates" / "i" / "b.pot"
    assert "Other, changed." in b_pot.read_text(encoding="utf-8")


def test_template_of_a_removed_article_is_removed(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"source/i/a.rst": "A.\n", "source/i/b.rst": "B.\n"})
    assert main(["extract", "--project", str(project)]) == 0
    (project / "source" / "i" / "b.rst").unlink()
    assert main(["extract", "--project", str(project)]) == 0
    assert not (project / "locale" / "templates" / "i" / "b.pot").exists()


def test_parallel_extraction_gives_the_same_templates(tmp_path: Path) -> None:
    files = {f"source/i/a{n:02}.rst": f"Article {n}\n==========\n\nText {n}.\n" for n in range(20)}
    serial = make_project(tmp_path / "serial", files)
    parallel = make_project(tmp_path / "parallel", files)
    assert main(["extract", "--project", str(serial), "--jobs", "1"]) == 0
    assert main(["extract", "--project", str(parallel), "--jobs", "2"]) == 0
    assert _snapshot(serial / "locale") == _snapshot(parallel / "locale")


def test_no_project_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--project", str(tmp_path)]) == 2
    assert "pyproject.toml does not exist" in capsys.readouterr().err


def test_severe_docutils_error_keeps_the_old_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path, {"source/i/a.rst": "Title\n=====\n\nText.\n"})
    assert main(["extract", "--project", str(project)]) == 0
    pot = project / "locale" / "templates" / "i" / "a.pot"
    before = pot.read_bytes()
    broken = "Title\n=====\n\n.. csv-table:: Figures\n   :file: missing.csv\n"
    (project / "source" / "i" / "a.rst").write_text(broken, encoding="utf-8")
    assert main(["extract", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert 'source/i/a.rst:4: error: severe: Problems with "csv-table" directive path:' in err
    assert "not extracted; its template is unchanged" in err
    assert pot.read_bytes() == before


def test_pathologically_nested_article_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = "".join("  " * depth + "- item\n\n" for depth in range(300))
    project = make_project(tmp_path, {"source/i/a.rst": nested, "source/i/b.rst": "Fine.\n"})
    assert main(["extract", "--project", str(project), "--jobs", "1"]) == 1
    assert "source/i/a.rst: error: severe: docutils gave up" in capsys.readouterr().err
    assert (project / "locale" / "templates" / "i" / "b.pot").is_file()
