"""The stages of translate-flow over a project.

Owns the loops (issues × articles × languages) and what each stage returns; the work on a
single article or catalog belongs to the modules named in each stage. Nothing here prints:
the CLI turns a `StageResult` into output and an exit status.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from translate_flow import __version__
from translate_flow.archive import Article, find_issues
from translate_flow.catalogs import render_template, save_rendered, would_write
from translate_flow.config import Config
from translate_flow.errors import Problem
from translate_flow.files import write_atomic
from translate_flow.rst import read_article

if TYPE_CHECKING:
    from translate_flow import editions as editions_t
    from translate_flow import render as render_t

# Below this many articles to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 16

CACHE_DIR = ".translate-flow"


@dataclass
class StageResult:
    """What a stage did: files written, files left as they were, and findings."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one-line summaries for people


@dataclass(frozen=True)
class _Extracted:
    source: str
    pot_text: str | None  # None: the article could not be parsed; keep its old template
    problems: list[Problem]


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

    Writes no template. Articles the extract cache vouches for (source and template
    unchanged since the last extract) are not parsed again; the others are, on all cores,
    and those found up to date are recorded in the cache as `extract` would record them.
    """
    issues, _ = find_issues(config)
    documents = [document for issue in issues for document in issue.documents]
    cache = _ExtractCache.load(config.root / CACHE_DIR / "extract.json")
    todo = [d for d in documents if cache.lookup(d.path, config.pot_path(d.issue, d.name)) is None]
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
        if not would_write(extracted.pot_text, pot):
            # Up to date: exactly what `extract` would record, so the next run skips it.
            cache.store(document.path, pot, extracted.problems)
        else:
            state = "is out of date with" if pot.is_file() else "is missing for"
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
    cache.save()
    return sorted(problems, key=lambda p: p.path)


def _extract_all(articles: list[Article], config: Config, jobs: int | None) -> list[_Extracted]:
    tasks = [(str(a.path), config.relative(a.path), _title(a)) for a in articles]
    workers = jobs or os.cpu_count() or 1
    if workers > 1 and len(tasks) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_extract_one, *zip(*tasks, strict=True), chunksize=8))
    return [_extract_one(*task) for task in tasks]


def _extract_one(path: str, source: str, title: str) -> _Extracted:
    parsed = read_article(Path(path), source_name=source)
    if parsed.severe:
        return _Extracted(source, None, parsed.problems)
    return _Extracted(
        source, render_template(parsed.messages, source=source, title=title), parsed.problems
    )


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
    if save_rendered(extracted.pot_text, pot):
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
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, {})
        if not isinstance(data, dict) or data.get("version") != __version__:
            return cls(path, {})
        return cls(path, data.get("articles", {}))

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
            data = {"version": __version__, "articles": self.entries}
            write_atomic(self.path, json.dumps(data, sort_keys=True, indent=1))


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return None


# -- build ----------------------------------------------------------------------------------


def build(
    config: Config,
    *,
    languages: list[str] | None = None,
    draft: bool = False,
    jobs: int | None = None,
) -> StageResult:
    """Write the editions of every issue into `output/<lang>/<issue>/` (see `editions`).

    An edition whose sources, catalogs and tool version are unchanged since the last build is
    not rendered again. An edition below its language's `min-complete` is not written; its
    previous output stays. `draft` writes review editions under `output/draft/` instead.
    """
    from translate_flow import editions

    result = StageResult()
    issues, problems = find_issues(config)
    result.problems.extend(problems)
    selected = list(config.select_languages(languages))
    every = [config.source_language, *config.languages]
    built = selected if draft else [config.source_language, *selected]
    root = config.output_dir / editions.DRAFT_DIR if draft else config.output_dir
    state_path = config.root / CACHE_DIR / ("build-draft.json" if draft else "build.json")
    states = editions.load_states(state_path)
    todo: list[editions.Edition] = []
    digests: dict[str, str] = {}
    for issue in issues:
        for lang in built:
            edition = editions.Edition(issue, lang, draft)
            digests[edition.key] = editions.edition_digest(config, edition, every)
            state = states.get(edition.key)
            index = root / lang / issue.name / "index.html"
            if (
                state
                and state.digest == digests[edition.key]
                and (index.is_file() or not state.published)
            ):
                result.unchanged += 1
                result.problems.extend(state.problems)
                _note_held_back(config, edition, state, result)
            else:
                todo.append(edition)
    rendered = _render_all(config, todo, jobs)
    for edition in todo:
        documents = {d.name: rendered[(edition.key, d.name)] for d in edition.issue.documents}
        state = _edition_state(config, edition, documents, digests[edition.key])
        states[edition.key] = state
        result.problems.extend(state.problems)
        if not state.published:
            _note_held_back(config, edition, state, result)
            continue
        for page in editions.edition_pages(config, edition, documents, every, root):
            _write_if_changed(config, page.path, page.text, result)
    _write_if_changed(config, config.output_dir / "style.css", editions.stylesheet(), result)
    if not draft:
        listing = editions.index_page(config, issues, every, states)
        _write_if_changed(config, config.output_dir / "index.html", listing, result)
    editions.save_states(state_path, states)
    result.problems.sort(key=lambda p: (p.path, p.line or 0))
    return result


def _render_all(
    config: Config, todo: list[editions_t.Edition], jobs: int | None
) -> dict[tuple[str, str], render_t.Rendered]:
    tasks = [
        (config, document, edition.language, edition.draft, edition.key)
        for edition in todo
        for document in edition.issue.documents
    ]
    workers = jobs or os.cpu_count() or 1
    if workers > 1 and len(tasks) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outputs = list(pool.map(_render_one, tasks, chunksize=8))
    else:
        outputs = [_render_one(task) for task in tasks]
    return {(task[4], task[1].name): output for task, output in zip(tasks, outputs, strict=True)}


def _render_one(
    task: tuple[Config, Article, str, bool, str],
) -> render_t.Rendered:
    from translate_flow.editions import render_edition_document

    config, document, language, draft, _ = task
    return render_edition_document(config, document, language, draft)


def _edition_state(
    config: Config,
    edition: editions_t.Edition,
    documents: dict[str, render_t.Rendered],
    digest: str,
) -> editions_t.EditionState:
    from translate_flow.editions import EditionState

    words = sum(d.words for d in documents.values())
    translated = sum(d.translated_words for d in documents.values())
    if edition.language == config.source_language:
        translated = words
    problems = [p for d in documents.values() for p in d.problems]
    state = EditionState(digest, words, translated, True, problems)
    needed = 0.0
    if not edition.draft and edition.language != config.source_language:
        needed = config.min_complete_for(edition.language)
    state.published = state.percent >= needed
    return state


def _note_held_back(
    config: Config,
    edition: editions_t.Edition,
    state: editions_t.EditionState,
    result: StageResult,
) -> None:
    if state.published:
        return
    needed = config.min_complete_for(edition.language)
    result.notes.append(
        f"{edition.key}: held back, {state.percent:.0f}% of words translated and reviewed, "
        f"min-complete is {needed:g}% ({state.translated_words} of {state.words} words; "
        f"{_words_missing(state, needed)} more needed); the previous output is kept"
    )


def _words_missing(state: editions_t.EditionState, needed: float) -> int:
    return max(0, math.ceil(state.words * needed / 100) - state.translated_words)


def _write_if_changed(config: Config, path: Path, text: str, result: StageResult) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
    result.written.append(config.relative(path))
