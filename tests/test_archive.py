"""Issues and articles under source/: front page order, file-name order, layout problems."""

from __future__ import annotations

import datetime
from pathlib import Path

from conftest import make_project

from translate_flow.archive import find_issues
from translate_flow.config import load_config

FRONT = "Issue\n=====\n\n:date: 2009-12-31\n:articles: b\n           a\n\nWelcome.\n"


def test_front_page_gives_date_and_article_order(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, {"source/i/index.rst": FRONT, "source/i/a.rst": "A.\n", "source/i/b.rst": "B.\n"}
    )
    (issue,), problems = find_issues(load_config(project))
    assert problems == []
    assert [a.name for a in issue.articles] == ["b", "a"]
    assert [d.name for d in issue.documents] == ["index", "b", "a"]
    assert issue.date == datetime.date(2009, 12, 31)


def test_without_front_page_articles_come_in_file_name_order(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"source/i/b.rst": "B.\n", "source/i/a.rst": "A.\n"})
    (issue,), _ = find_issues(load_config(project))
    assert issue.front_page is None
    assert [a.name for a in issue.articles] == ["a", "b"]


def test_unlisted_and_missing_articles_are_reported(tmp_path: Path) -> None:
    front = FRONT.replace("           a\n", "           gone\n")
    project = make_project(
        tmp_path, {"source/i/index.rst": front, "source/i/a.rst": "A.\n", "source/i/b.rst": "B.\n"}
    )
    (issue,), problems = find_issues(load_config(project))
    assert [str(p) for p in problems] == [
        "source/i/index.rst: error: articles: no file gone.rst",
        "source/i/index.rst: warning: articles: a.rst is not listed; added at the end",
    ]
    assert [a.name for a in issue.articles] == ["b", "a"]
