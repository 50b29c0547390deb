"""The extract stage: English articles → one gettext template per article.

Owns the loop over the archive's articles, parsing them on all cores, the digest cache that
skips unchanged articles, and the dry run `check` uses to find stale templates. What a
message is belongs to `rst`; how a template is written belongs to `catalogs`.
"""

from __future__ import annotations

import hashlib
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from translate_flow.archive import Article, find_issues
from translate_flow.catalogs import (
    render_template,
    save_template,
    template_file_text,
    template_is_current,
)
from translate_flow.config import Config
from translate_flow.errors import Problem
from translate_flow.rst import read_article
from translate_flow.stage import (
    CACHE_DIR,
    PARALLEL_THRESHOLD,
    StageResult,
    read_cache,
    write_cache,
)


@dataclass(frozen=True)
class _Extracted:
    source: str
    pot_text: str | None  # None: the article could not be parsed; keep its old template
    problems: list[Problem]
    data: bytes  # the article as read before parsing: what the template's digest vouches for


def extract(config: Config, *, jobs: int | None = None) -> StageResult:
    """Write one POT per article under `locale/templates/<issue>/`.

    Articles whose source and template are unchanged since the last run are not parsed
    again (a digest cache under `.translate-flow/`), and the rest are parsed on all cores.
    """
    result = StageResult()
    issues, problems = find_issues(config)
    result.problems.extend(problems)
    documents = [document for issue in issues for document in issue.documents]
    cache = _ExtractCache.load(config.root / CACHE_DIR / "extract.json")
    todo = []
    for document in documents:
        cached = cache.lookup(document.path, config.pot_path(document.issue, document.name))
        if cached is None:
            todo.append(document)
        else:
            result.unchanged += 1
            result.problems.extend(cached)
    for document, extracted in zip(todo, _extract_all(todo, config, jobs), strict=True):
        _save_template(config, document, extracted, result, cache)
    result.removed.extend(_remove_orphan_templates(config, documents))
    cache.save()
    result.problems.sort(key=lambda p: (p.path, p.line or 0))
    return result


def stale_templates(config: Config, *, jobs: int | None = None) -> list[Problem]:
    """The dry run of `extract`: one error per template it would write or remove.

    Writes nothing. A template whose recorded digest matches its article (see
    `catalogs.template_is_current`) is up to date without parsing; the other articles are
    parsed, on all cores, and their templates compared with what `extract` would write.
    """
    issues, _ = find_issues(config)
    documents = [document for issue in issues for document in issue.documents]
    todo = [d for d in documents if not _vouched_for(d, config.pot_path(d.issue, d.name))]
    problems = []
    for document, extracted in zip(todo, _extract_all(todo, config, jobs), strict=True):
        pot = config.pot_path(document.issue, document.name)
        if extracted.pot_text is None:
            problems.append(
                Problem(
                    config.relative(pot),
                    None,
                    "error",
                    f"{extracted.source} cannot be parsed, so its template may be out of date; "
                    "run `translate-flow extract` for the details",
                    "stale-template",
                )
            )
            continue
        old_text = _text_or_none(pot)
        new_text = template_file_text(extracted.pot_text, source=extracted.data, old_text=old_text)
        if new_text != old_text:
            state = "is out of date with" if old_text is not None else "is missing for"
            problems.append(
                Problem(
                    config.relative(pot),
                    None,
                    "error",
                    f"the template {state} {extracted.source}; run `translate-flow extract`",
                    "stale-template",
                )
            )
    expected = {config.pot_path(d.issue, d.name) for d in documents}
    if config.templates_dir.is_dir():
        for pot in sorted(config.templates_dir.glob("*/*.pot")):
            if pot not in expected:
                problems.append(
                    Problem(
                        config.relative(pot),
                        None,
                        "error",
                        "its article is gone; run `translate-flow extract` to remove it",
                        "stale-template",
                    )
                )
    return sorted(problems, key=lambda p: p.path)


# Directives that read other files: the template of an article using one also depends on
# files its digest does not cover, so only a parse can tell whether it is up to date.
_READS_FILES = re.compile(rb"^[ \t]*\.\.[ \t]+(?:include|raw|csv-table)[ \t]*::", re.MULTILINE)


def _vouched_for(article: Article, pot: Path) -> bool:
    """Whether the template's digest shows it up to date with its article, without parsing."""
    source = _bytes_or_none(article.path)
    text = _text_or_none(pot)
    if source is None or text is None or _READS_FILES.search(source):
        return False
    return template_is_current(text, source=source)


def _bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _text_or_none(path: Path) -> str | None:
    data = _bytes_or_none(path)
    try:
        return None if data is None else data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _extract_all(articles: list[Article], config: Config, jobs: int | None) -> list[_Extracted]:
    tasks = [(str(a.path), config.relative(a.path), _title(a)) for a in articles]
    workers = jobs or os.cpu_count() or 1
    if workers > 1 and len(tasks) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_extract_one, *zip(*tasks, strict=True), chunksize=8))
    return [_extract_one(*task) for task in tasks]


def _extract_one(path: str, source: str, title: str) -> _Extracted:
    # Read before parsing: if the article changes meanwhile, the digest is of the older
    # bytes, and the next run parses it again rather than vouching for a stale template.
    data = _bytes_or_none(Path(path)) or b""
    parsed = read_article(Path(path), source_name=source)
    if parsed.severe:
        return _Extracted(source, None, parsed.problems, data)
    text = render_template(parsed.messages, source=source, title=title)
    return _Extracted(source, text, parsed.problems, data)


def _save_template(
    config: Config,
    article: Article,
    extracted: _Extracted,
    result: StageResult,
    cache: _ExtractCache,
) -> None:
    result.problems.extend(extracted.problems)
    pot = config.pot_path(article.issue, article.name)
    if extracted.pot_text is None:
        result.problems.append(
            Problem(extracted.source, None, "error", "not extracted; its template is unchanged")
        )
        return
    if save_template(extracted.pot_text, pot, source=extracted.data):
        result.written.append(config.relative(pot))
    else:
        result.unchanged += 1
    cache.store(article.path, pot, extracted.problems)


def _remove_orphan_templates(config: Config, documents: list[Article]) -> list[str]:
    """Templates whose article is gone; catalogs keep their translations (see `update`)."""
    expected = {config.pot_path(d.issue, d.name) for d in documents}
    removed = []
    if config.templates_dir.is_dir():
        for pot in sorted(config.templates_dir.glob("*/*.pot")):
            if pot not in expected:
                pot.unlink()
                removed.append(config.relative(pot))
    return removed


def _title(article: Article) -> str:
    return f"{article.issue}/{article.name}"


class _ExtractCache:
    """Digests of each article's source and template at the last extract, and its findings."""

    def __init__(self, path: Path, entries: dict[str, dict[str, object]]):
        self.path = path
        self.entries = entries
        self.changed = False

    @classmethod
    def load(cls, path: Path) -> _ExtractCache:
        return cls(path, read_cache(path).get("articles", {}))

    def lookup(self, source: Path, pot: Path) -> list[Problem] | None:
        entry = self.entries.get(str(source))
        if entry is None or entry.get("source") != _digest(source):
            return None
        if entry.get("pot") != _digest(pot):
            return None
        problems = entry.get("problems", [])
        assert isinstance(problems, list)
        return [Problem(**p) for p in problems]

    def store(self, source: Path, pot: Path, problems: list[Problem]) -> None:
        self.entries[str(source)] = {
            "source": _digest(source),
            "pot": _digest(pot),
            "problems": [p.__dict__ for p in problems],
        }
        self.changed = True

    def save(self) -> None:
        if self.changed:
            write_cache(self.path, {"articles": self.entries})


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return None
