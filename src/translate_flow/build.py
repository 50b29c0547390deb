"""The build stage: sources + reviewed catalogs → localized editions in `output/`.

Owns the loop over issues and languages, the `min-complete` hold-back, images, and the
digest cache that skips unchanged editions. Translating a doctree belongs to `localize`,
rendering to `render`, and the pages of an edition to `editions`.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from translate_flow.archive import FRONT_PAGE, Article, Issue, find_issues
from translate_flow.config import Config
from translate_flow.files import write_if_changed
from translate_flow.stage import CACHE_DIR, PARALLEL_THRESHOLD, StageResult

if TYPE_CHECKING:
    from translate_flow import editions as editions_t
    from translate_flow import render as render_t


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
    cache = editions.load_cache(state_path)
    states = cache.states
    todo: list[editions.Edition] = []
    kept: list[editions.Edition] = []
    digests: dict[str, str] = {}
    for issue in issues:
        for lang in built:
            edition = editions.Edition(issue, lang, draft)
            digests[edition.key] = editions.edition_digest(config, edition, every, cache.files)
            state = states.get(edition.key)
            index = root / lang / issue.name / "index.html"
            if (
                state
                and state.digest == digests[edition.key]
                and (index.is_file() or not state.published)
            ):
                kept.append(edition)
            else:
                todo.append(edition)
    rendered = _render_all(config, todo, jobs)
    for edition in todo:
        documents = {d.name: rendered[(edition.key, d.name)] for d in edition.issue.documents}
        states[edition.key] = _edition_state(config, edition, documents, digests[edition.key])
    # The language switcher links only the editions readers can open: published now, or
    # held back with a previous output kept. An unchanged edition whose switcher would change
    # (another language published for the first time) is rendered again for its pages.
    published = {e.key for e in todo if states[e.key].published}
    available = {issue.name: _available(issue, every, published, root) for issue in issues}
    stale = [
        e
        for e in kept
        if states[e.key].published and states[e.key].languages != available[e.issue.name]
    ]
    rendered.update(_render_all(config, stale, jobs))
    for edition in kept:
        if edition not in stale:
            result.unchanged += 1
            result.problems.extend(states[edition.key].problems)
            _note_held_back(config, edition, states[edition.key], result)
            if states[edition.key].published:
                _copy_images(config, edition, states[edition.key], root, result)
    for edition in [*todo, *stale]:
        documents = {d.name: rendered[(edition.key, d.name)] for d in edition.issue.documents}
        state = states[edition.key]
        result.problems.extend(state.problems)
        if not state.published:
            _note_held_back(config, edition, state, result)
            continue
        state.languages = available[edition.issue.name]
        for page in editions.edition_pages(config, edition, documents, state.languages, root):
            _write_if_changed(config, page.path, page.text, result)
        _copy_images(config, edition, state, root, result)
    _write_if_changed(config, config.output_dir / "style.css", editions.stylesheet(), result)
    if not draft:
        # Formatting the listing loads Babel's data of every language: not for a no-op.
        listing_path = config.output_dir / "index.html"
        cache.index, before = editions.index_digest(config, issues, every, states), cache.index
        if cache.index != before or not listing_path.is_file():
            listing = editions.index_page(config, issues, every, states)
            _write_if_changed(config, listing_path, listing, result)
    editions.save_cache(state_path, cache)
    # A source's findings (a missing image, a render limit) come once, not once per language.
    result.problems = list(dict.fromkeys(result.problems))
    result.problems.sort(key=lambda p: (p.path, p.line or 0))
    return result


def _copy_images(
    config: Config,
    edition: editions_t.Edition,
    state: editions_t.EditionState,
    root: Path,
    result: StageResult,
) -> None:
    from translate_flow.editions import copy_images

    written, problems = copy_images(config, edition, state.images, root)
    result.written.extend(config.relative(path) for path in written)
    result.problems.extend(problems)


def _available(issue: Issue, every: list[str], published: set[str], root: Path) -> list[str]:
    """The languages whose edition of `issue` exists under `root` once this build is done."""
    return [
        lang
        for lang in every
        if f"{lang}/{issue.name}" in published
        or (root / lang / issue.name / "index.html").is_file()
    ]


def _render_all(
    config: Config, todo: list[editions_t.Edition], jobs: int | None
) -> dict[tuple[str, str], render_t.Rendered]:
    # One task per source document with every edition that needs it, so a worker parses the
    # source once and renders its languages from copies of that doctree (`render._parsed`).
    wanted: dict[Path, tuple[Article, list[tuple[str, bool, str]]]] = {}
    for edition in todo:
        for document in edition.issue.documents:
            entry = wanted.setdefault(document.path, (document, []))
            entry[1].append((edition.language, edition.draft, edition.key))
    tasks = [(config, document, editions) for document, editions in wanted.values()]
    workers = jobs or os.cpu_count() or 1
    renders = sum(len(editions) for _, _, editions in tasks)
    if workers > 1 and renders >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outputs = list(pool.map(_render_one, tasks, chunksize=2))
    else:
        outputs = [_render_one(task) for task in tasks]
    return {
        (key, document.name): output
        for (_, document, editions), rendered in zip(tasks, outputs, strict=True)
        for (_, _, key), output in zip(editions, rendered, strict=True)
    }


def _render_one(
    task: tuple[Config, Article, list[tuple[str, bool, str]]],
) -> list[render_t.Rendered]:
    from translate_flow.editions import render_edition_document

    config, document, editions = task
    return [
        render_edition_document(config, document, language, draft)
        for language, draft, _ in editions
    ]


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
    images = [image for d in documents.values() for image in d.images]
    state = EditionState(digest, words, translated, True, problems, images=images)
    front = documents.get(FRONT_PAGE)
    if front is not None and front.plain_title:
        state.title = " — ".join(filter(None, [front.plain_title, front.plain_subtitle]))
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
    if write_if_changed(path, text):
        result.written.append(config.relative(path))
