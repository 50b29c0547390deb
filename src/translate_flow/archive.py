"""The archive of English issues under `source/`.

Owns the layout of the source folder: an issue is a folder `source/<issue>/`, an article is
one `.rst` file in it, and the optional front page `index.rst` gives the issue's date and the
order of its articles (`:articles:`); without one, articles are taken in file-name order.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from translate_flow.config import Config
from translate_flow.errors import Problem, SourceError
from translate_flow.rst import read_front_matter

FRONT_PAGE = "index"


@dataclass(frozen=True)
class Article:
    """One rst file: the front page (`index`) or an article."""

    issue: str
    name: str
    path: Path


@dataclass(frozen=True)
class Issue:
    name: str
    path: Path
    front_page: Article | None
    articles: tuple[Article, ...]  # in publication order, front page excluded
    date: datetime.date | None

    @property
    def documents(self) -> tuple[Article, ...]:
        """Everything that is translated: the front page first, then the articles."""
        return ((self.front_page,) if self.front_page else ()) + self.articles


def find_issues(config: Config) -> tuple[list[Issue], list[Problem]]:
    """Every issue folder under the source folder, in name order, with layout problems."""
    if not config.source_dir.is_dir():
        raise SourceError(
            "the source folder does not exist; create it or set source-dir",
            path=config.relative(config.source_dir),
        )
    issues: list[Issue] = []
    problems: list[Problem] = []
    for folder in sorted(p for p in config.source_dir.iterdir() if p.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        issue, found = _read_issue(folder, config)
        problems.extend(found)
        if issue.documents:
            issues.append(issue)
    return issues, problems


def _read_issue(folder: Path, config: Config) -> tuple[Issue, list[Problem]]:
    files = {path.stem: path for path in sorted(folder.glob("*.rst"))}
    front_path = files.pop(FRONT_PAGE, None)
    problems: list[Problem] = []
    order = sorted(files)
    date = None
    if front_path is not None:
        fields = read_front_matter(front_path)
        where = config.relative(front_path)
        date = _parse_date(fields.get("date"), where, problems)
        if "articles" in fields:
            order = _article_order(fields["articles"].split(), files, where, problems)
    articles = tuple(Article(folder.name, name, files[name]) for name in order)
    front = Article(folder.name, FRONT_PAGE, front_path) if front_path else None
    return Issue(folder.name, folder, front, articles, date), problems


def _article_order(
    listed: list[str], files: dict[str, Path], where: str, problems: list[Problem]
) -> list[str]:
    order: list[str] = []
    for name in listed:
        name = name.removesuffix(".rst")
        if name not in files:
            problems.append(Problem(where, None, "error", f"articles: no file {name}.rst"))
        elif name in order:
            problems.append(Problem(where, None, "warning", f"articles: {name} listed twice"))
        else:
            order.append(name)
    for name in sorted(set(files) - set(order)):
        problems.append(
            Problem(where, None, "warning", f"articles: {name}.rst is not listed; added at the end")
        )
        order.append(name)
    return order


def _parse_date(value: str | None, where: str, problems: list[Problem]) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        problems.append(Problem(where, None, "error", f"date: {value.strip()!r} is not YYYY-MM-DD"))
        return None
