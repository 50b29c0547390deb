"""The stages of translate-flow over a project.

Owns the loops (issues × articles × languages) and what each stage returns; the work on a
single article or catalog belongs to the modules named in each stage. Nothing here prints:
the CLI turns a `StageResult` into output and an exit status.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from translate_flow import __version__, catalogs
from translate_flow.archive import Article, Issue, find_issues
from translate_flow.catalogs import render_template, save_rendered, would_write
from translate_flow.config import Config
from translate_flow.errors import CatalogError, Problem, TranslateFlowError
from translate_flow.files import ChangedOnDisk, project_lock, write_atomic
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


# -- update ------------------------------------------------------------------------------------


def update(
    config: Config, *, languages: list[str] | None = None, dry_run: bool = False
) -> StageResult:
    """Merge every template into one catalog per language, never losing a translation.

    Works issue by issue (a paragraph may move between the articles of an issue), the
    reference language first (its reviewed translations become `#. ru:` comments in the
    others). An issue whose templates and catalogs are unchanged since the last run is
    skipped (a digest cache under `.translate-flow/`). A catalog that does not pass the
    strict reader is reported and left byte-identical; the others are still updated.

    `dry_run` (for `check`) writes no catalog and takes no lock: `written` lists the catalogs
    an update would write; only groups found up to date are recorded in the cache.
    """
    selected = config.select_languages(languages)
    reference = config.reference_language
    order = sorted(selected, key=lambda language: language != reference)
    result = StageResult()
    with contextlib.nullcontext() if dry_run else project_lock(config.root):
        cache = _UpdateCache.load(config.root / CACHE_DIR / "update.json")
        templates = _templates_by_issue(config)
        for issue, articles in templates.items():
            parsed: dict[str, catalogs.POFile | None] = {}
            references: dict[str, dict[catalogs.Key, str]] = {}  # read once per issue
            for language in order:
                group = _Group(config, issue, articles, language, reference, parsed)
                group.dry_run = dry_run
                group.run(cache, result, references)
        cache.save()
    result.problems.sort(key=lambda p: (p.path, p.line or 0))
    return result


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
    kept: list[editions.Edition] = []
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
        listing = editions.index_page(config, issues, every, states)
        _write_if_changed(config, config.output_dir / "index.html", listing, result)
    editions.save_states(state_path, states)
    # A source's findings (a missing image, a render limit) come once, not once per language.
    result.problems = list(dict.fromkeys(result.problems))
    result.problems.sort(key=lambda p: (p.path, p.line or 0))
    return result


def _templates_by_issue(config: Config) -> dict[str, list[str]]:
    issues: dict[str, list[str]] = {}
    if config.templates_dir.is_dir():
        for pot in sorted(config.templates_dir.glob("*/*.pot")):
            issues.setdefault(pot.parent.name, []).append(pot.stem)
    return issues


class _Group:
    """The catalogs of one issue in one language: merged together so translations can move."""

    def __init__(
        self,
        config: Config,
        issue: str,
        articles: list[str],
        language: str,
        reference: str | None,
        templates: dict[str, catalogs.POFile | None],
    ):
        self.config = config
        self.issue = issue
        self.articles = articles
        self.language = language
        self.reference = reference if reference != language else None
        self.templates = templates  # parsed templates, shared by the languages of the issue
        self.key = f"{language}/{issue}"
        self.dry_run = False

    def run(
        self,
        cache: _UpdateCache,
        result: StageResult,
        references: dict[str, dict[catalogs.Key, str]],
    ) -> None:
        self.cache = cache
        state = self._state()
        if cache.states.get(self.key) == state:
            result.unchanged += len(self.articles)
            return
        problems: list[Problem] = []
        olds = self._read_catalogs(cache, problems)
        pool = self._pool(olds)
        if self.reference is not None and self.reference not in references:
            references[self.reference] = self._reference()
        reference = references.get(self.reference or "", {})
        written_before = len(result.written)
        pending: list[tuple[Path, catalogs.POFile]] = []  # remembered after a dry run
        for article in self.articles:
            pot = self._template(article, problems)
            path = self.config.po_path(self.language, self.issue, article)
            if pot is None or article not in olds:
                continue  # a broken template or catalog: reported, left as it is
            old_po, original = olds[article]
            moved = {k: e for k, (a, e) in pool.items() if a != article}
            po = catalogs.merge(
                pot,
                old_po,
                language=self.language,
                moved=moved,
                reference=reference,
                reference_language=self.reference,
            )
            self._save(po, path, original, result, problems)
            if self.dry_run:
                pending.append((path, po))
            else:
                cache.remember(path, po)
        result.problems.extend(problems)
        clean = not any(p.level == "error" for p in problems)
        if self.dry_run:
            if not clean or len(result.written) > written_before:
                return  # an update would change this group: record nothing
            # Nothing to write: record exactly what an update would, so the next run skips it.
            for path, po in pending:
                cache.remember(path, po)
        if clean:
            cache.states[self.key] = self._state()

    def _paths(self, language: str) -> list[Path]:
        folder = self.config.catalog_dir(language) / self.issue
        expected = [self.config.po_path(language, self.issue, a) for a in self.articles]
        orphans = sorted(set(folder.glob("*.po")) - set(expected)) if folder.is_dir() else []
        return expected + orphans

    def _state(self) -> str:
        digest = hashlib.sha1(f"{__version__}\0{self.reference}\0".encode())
        files = [self.config.pot_path(self.issue, a) for a in self.articles]
        files += self._paths(self.language)
        if self.reference:
            files += self._paths(self.reference)
        for path in files:
            digest.update(f"\0{path}\0{self.cache.file_digest(path)}".encode())
        return digest.hexdigest()

    def _template(self, article: str, problems: list[Problem]) -> catalogs.POFile | None:
        if article not in self.templates:
            path = self.config.pot_path(self.issue, article)
            try:
                self.templates[article] = catalogs.load_catalog(path)
            except CatalogError as err:
                self.templates[article] = None
                problems.append(_problem(self.config, err, "run `translate-flow extract`"))
        return self.templates[article]

    def _read_catalogs(
        self, cache: _UpdateCache, problems: list[Problem]
    ) -> dict[str, tuple[catalogs.POFile | None, bytes | None]]:
        """Each catalog of the group, strictly parsed, with the bytes it was read from."""
        olds: dict[str, tuple[catalogs.POFile | None, bytes | None]] = {}
        for path in self._paths(self.language):
            article = path.stem
            if not path.exists():
                olds[article] = (None, None)
                continue
            try:
                data = catalogs.read_bytes(path)
                po = catalogs.parse_catalog(data, path=self.config.relative(path))
            except CatalogError as err:
                problems.append(_problem(self.config, err, "fix it, then run the command again"))
                continue
            problems.extend(cache.emptied(path, po, self.config.relative(path)))
            olds[article] = (po, data)
        return olds

    def _pool(
        self, olds: dict[str, tuple[catalogs.POFile | None, bytes | None]]
    ) -> dict[catalogs.Key, tuple[str, catalogs.POEntry]]:
        """Every translation of the issue, for paragraphs that moved to another article."""
        pool: dict[catalogs.Key, tuple[str, catalogs.POEntry]] = {}
        for article, (po, _) in olds.items():
            if po is not None:
                for key, entry in catalogs.translated_entries(po).items():
                    pool.setdefault(key, (article, entry))
        return pool

    def _reference(self) -> dict[catalogs.Key, str]:
        """Reviewed translations of the issue in the reference language (read as they are)."""
        found: dict[catalogs.Key, str] = {}
        if self.reference is None:
            return found
        for path in self._paths(self.reference):
            if path.exists():
                try:
                    found.update(catalogs.reviewed_translations(catalogs.load_catalog(path)))
                except CatalogError:
                    continue  # reported when its own language is updated
        return found

    def _save(
        self,
        po: catalogs.POFile,
        path: Path,
        original: bytes | None,
        result: StageResult,
        problems: list[Problem],
    ) -> None:
        if self.dry_run:
            text = catalogs.render(po)
            if original is None or original != text.encode("utf-8"):
                result.written.append(self.config.relative(path))
            else:
                result.unchanged += 1
            return
        try:
            written = catalogs.save_po(catalogs.render(po), path, original=original)
        except ChangedOnDisk as err:
            problems.append(_problem(self.config, err, ""))
            return
        if written:
            result.written.append(self.config.relative(path))
        else:
            result.unchanged += 1


def _problem(config: Config, err: TranslateFlowError, hint: str) -> Problem:
    path = err.path or ""
    if path and Path(path).is_absolute():
        path = config.relative(Path(path))
    message = f"{err.message}; {hint}" if hint and hint not in err.message else err.message
    return Problem(path, err.line, "error", message)


def _bytes_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing"


class _UpdateCache:
    """Per issue and language, a digest of its templates and catalogs at the last update;
    per catalog, which entries were translated (to report a translation that went empty)."""

    def __init__(
        self,
        path: Path,
        states: dict[str, str],
        translated: dict[str, list[str]],
        files: dict[str, list[object]],
    ):
        self.path = path
        self.states = states
        self.translated = translated
        self.files = files  # path → [mtime_ns, size, sha1]: hash only what was touched

    def file_digest(self, path: Path) -> str:
        try:
            stat = path.stat()
        except OSError:
            return "missing"
        known = self.files.get(str(path))
        if known is not None and known[:2] == [stat.st_mtime_ns, stat.st_size]:
            return str(known[2])
        digest = hashlib.sha1(_bytes_or_empty(path)).hexdigest()
        self.files[str(path)] = [stat.st_mtime_ns, stat.st_size, digest]
        return digest

    @classmethod
    def load(cls, path: Path) -> _UpdateCache:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, {}, {}, {})
        if not isinstance(data, dict) or data.get("version") != __version__:
            return cls(path, {}, {}, {})
        return cls(path, data.get("states", {}), data.get("translated", {}), data.get("files", {}))

    def remember(self, path: Path, po: catalogs.POFile) -> None:
        keys = catalogs.reviewed_translations(po)
        self.translated[str(path)] = sorted(_short_hash(key) for key in keys)

    def emptied(self, path: Path, po: catalogs.POFile, where: str) -> list[Problem]:
        before = set(self.translated.get(str(path), ()))
        if not before:
            return []
        return [
            Problem(
                where,
                entry.linenum,
                "warning",
                "this entry had a translation at the last update and is now empty; "
                f"restore it from version control (git log -p {where}) if that was not intended",
            )
            for entry in po
            if not entry.obsolete
            and not entry.msgstr
            and not any(entry.msgstr_plural.values())
            and _short_hash(catalogs.key_of(entry)) in before
        ]

    def save(self) -> None:
        data = {
            "version": __version__,
            "states": self.states,
            "translated": self.translated,
            "files": self.files,
        }
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        if _bytes_or_empty(self.path) != text.encode():
            write_atomic(self.path, text)


def _short_hash(key: catalogs.Key) -> str:
    context, msgid = key
    return hashlib.sha1(f"{context or ''}\x04{msgid}".encode()).hexdigest()[:16]


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
    images = [image for d in documents.values() for image in d.images]
    state = EditionState(digest, words, translated, True, problems, images=images)
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
