"""The update stage: templates → one catalog per language, merged like msgmerge.

Owns the loop over issues and languages (an issue at a time, so a paragraph may move
between its articles; the reference language first), the project lock, the refusal to
write over a catalog that changed on disk, and the digest cache that skips unchanged
issues. The merge of one catalog belongs to `catalogs`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from translate_flow import __version__, catalogs, glossary
from translate_flow.config import Config
from translate_flow.errors import CatalogError, Problem, TranslateFlowError
from translate_flow.files import ChangedOnDisk, project_lock
from translate_flow.stage import CACHE_DIR, PARALLEL_THRESHOLD, StageResult, read_cache, write_cache

# Called in the worker with each catalog the dry run parses (see `update_issues`).
Inspector = Callable[[Config, str, str, str, "catalogs.POFile", bytes], object]


def update(
    config: Config,
    *,
    languages: list[str] | None = None,
    dry_run: bool = False,
    jobs: int | None = None,
) -> StageResult:
    """Merge every template into one catalog per language, never losing a translation.

    Works issue by issue (a paragraph may move between the articles of an issue), the
    reference language first (its reviewed translations become `#. ru:` comments in the
    others); issues are independent, so they run on all cores. An issue whose templates and
    catalogs are unchanged since the last run is skipped (a digest cache under
    `.translate-flow/`). A catalog that does not pass the strict reader is reported and left
    byte-identical; the others are still updated.

    `dry_run` (for `check`) writes no catalog and takes no lock: `written` lists the catalogs
    an update would write; only groups found up to date are recorded in the cache.
    """
    result, _ = update_issues(config, languages=languages, dry_run=dry_run, jobs=jobs)
    return result


def update_issues(
    config: Config,
    *,
    languages: list[str] | None = None,
    dry_run: bool = False,
    jobs: int | None = None,
    inspect: Inspector | None = None,
    wanted: frozenset[str] = frozenset(),
) -> tuple[StageResult, dict[str, object]]:
    """`update`, plus `inspect(config, language, issue, article, po, data)` for each catalog
    whose project-relative path is in `wanted` and that the run parses (check shares the
    parse): its results by path. Catalogs of groups skipped as unchanged are not inspected.
    """
    selected = config.select_languages(languages)
    reference = config.reference_language
    order = tuple(sorted(selected, key=lambda language: language != reference))
    result = StageResult()
    terms, problems = glossary.load_glossary(config)  # hints: `#. glossary: term = rendering`
    if not dry_run:
        result.problems.extend(problems)
    inspected: dict[str, object] = {}
    with contextlib.nullcontext() if dry_run else project_lock(config.root):
        cache = _UpdateCache.load(config.root / CACHE_DIR / "update.json")
        job = _Job(config, order, dry_run, inspect, terms, glossary.digest(config))
        parts = cache.by_issue()
        wanted_by_issue: dict[str, set[str]] = {}
        for path in wanted:
            wanted_by_issue.setdefault(path.rsplit("/", 2)[-2], set()).add(path)
        tasks = [
            (
                issue,
                articles,
                parts.get(issue) or cache.empty(),
                frozenset(wanted_by_issue.get(issue, ())),
            )
            for issue, articles in _templates_by_issue(config).items()
        ]
        workers = jobs or os.cpu_count() or 1
        articles = sum(len(task[1]) for task in tasks)
        if workers > 1 and len(tasks) > 1 and articles >= PARALLEL_THRESHOLD:
            with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
                outcomes: Iterable[_IssueOutcome] = list(pool.map(job, tasks))
        else:
            outcomes = map(job, tasks)
        for part, states, translated, files, found in outcomes:
            result.written.extend(part.written)
            result.unchanged += part.unchanged
            result.problems.extend(part.problems)
            cache.states.update(states)
            cache.translated.update(translated)
            cache.files.update(files)
            inspected.update(found)
        cache.save()
    result.problems.sort(key=lambda p: (p.path, p.line or 0))
    return result, inspected


_IssueTask = tuple[str, list[str], "_UpdateCache", frozenset[str]]
_IssueOutcome = tuple[
    StageResult, dict[str, str], dict[str, list[str]], dict[str, list[object]], dict[str, object]
]


@dataclass(frozen=True)
class _Job:
    """One issue in every language: what a worker process runs (picklable)."""

    config: Config
    order: tuple[str, ...]
    dry_run: bool
    inspect: Inspector | None
    terms: glossary.Glossary
    terms_digest: str  # of the glossary file, for each catalog's merge digest

    def __call__(self, task: _IssueTask) -> _IssueOutcome:
        issue, articles, cache, wanted = task
        result = StageResult()
        found: dict[str, object] = {}
        parsed: dict[str, tuple[catalogs.POFile, str] | None] = {}
        references: dict[str, dict[catalogs.Key, str]] = {}  # read once per issue
        reference = self.config.reference_language
        for language in self.order:
            group = _Group(self.config, issue, articles, language, reference, parsed, self.terms)
            group.terms_digest = self.terms_digest
            group.dry_run = self.dry_run
            if self.inspect is not None and wanted:
                group.inspect = functools.partial(self._inspect, wanted, found)
            group.run(cache, result, references)
        return result, cache.states, cache.translated, cache.files, found

    def _inspect(
        self,
        wanted: frozenset[str],
        found: dict[str, object],
        language: str,
        issue: str,
        article: str,
        po: catalogs.POFile,
        data: bytes,
    ) -> None:
        where = self.config.po_path(language, issue, article).relative_to(self.config.root)
        if self.inspect is not None and where.as_posix() in wanted:
            found[where.as_posix()] = self.inspect(self.config, language, issue, article, po, data)


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
        templates: dict[str, tuple[catalogs.POFile, str] | None],
        terms: glossary.Glossary,
    ):
        self.config = config
        self.issue = issue
        self.articles = articles
        self.language = language
        self.reference = reference if reference != language else None
        # Parsed templates with the digest of their bytes, shared by the issue's languages.
        self.templates = templates
        self.key = f"{language}/{issue}"
        self.terms = terms  # the glossary, for the hints of each entry
        self.terms_digest = ""
        self.paths: dict[str, list[Path]] = {}
        self.dry_run = False
        self.inspect: Callable[[str, str, str, catalogs.POFile, bytes], None] | None = None

    def run(
        self,
        cache: _UpdateCache,
        result: StageResult,
        references: dict[str, dict[catalogs.Key, str]],
    ) -> None:
        self.cache = cache
        known = cache.states.get(self.key)
        # No state recorded (a cold run, as `check` in CI): nothing to compare, so no hashing.
        if known is not None and known == self._state():
            result.unchanged += len(self.articles)
            return
        problems: list[Problem] = []
        olds = self._read_catalogs(cache, problems)
        pool = self._pool(olds)
        if self.reference is not None and self.reference not in references:
            references[self.reference] = self._reference()
        reference = references.get(self.reference or "", {})
        written_before = len(result.written)
        pending: list[tuple[Path, catalogs.POFile]] = []  # remembered once the group is done
        reviewed: dict[catalogs.Key, str] = {}  # the reference for the other languages
        for article in self.articles:
            template = self._template(article, problems)
            if template is None or article not in olds:
                continue  # a broken template or catalog: reported, left as it is
            path = self.config.po_path(self.language, self.issue, article)
            po, text = self._update_article(article, template, olds[article], pool, reference)
            if text is None:
                result.unchanged += 1  # vouched for by its merge digest: not merged again
            else:
                self._save(text, path, olds[article][1], result, problems)
            reviewed.update(catalogs.reviewed_translations(po))
            pending.append((path, po))
        result.problems.extend(problems)
        if self.language == self.config.reference_language:
            # What this group writes (or, in a dry run, would write) is what the other
            # languages read their hints from: no need to read the files again.
            references[self.language] = reviewed
        clean = not any(p.level == "error" for p in problems)
        if self.dry_run and (not clean or len(result.written) > written_before):
            return  # an update would change this group: record nothing
        # Record what this run wrote (or, in a dry run, found up to date) as an update would.
        for path, po in pending:
            cache.remember(path, po)
        if clean:
            cache.states[self.key] = self._state()

    def _update_article(
        self,
        article: str,
        template: tuple[catalogs.POFile, str],
        old: tuple[catalogs.POFile | None, bytes | None],
        pool: dict[catalogs.Key, tuple[str, catalogs.POEntry]],
        reference: dict[catalogs.Key, str],
    ) -> tuple[catalogs.POFile, str | None]:
        """The catalog `update` would write for `article` and its text; no text when the
        catalog on disk records (X-Merge-Digest) that it already is that catalog."""
        pot, template_digest = template
        old_po, original = old
        inputs = catalogs.merge_inputs(
            pot,
            template_digest=template_digest,
            language=self.language,
            reference=reference,
            reference_language=self.reference,
            glossary_digest=self.terms_digest,
        )
        if (
            old_po is not None
            and original is not None
            and catalogs.is_merged(old_po, original.decode("utf-8"), pot, inputs=inputs)
        ):
            return old_po, None
        po = catalogs.merge(
            pot,
            old_po,
            language=self.language,
            moved=_Elsewhere(pool, article),
            reference=reference,
            reference_language=self.reference,
        )
        glossary.annotate(po, self.terms, self.language)
        return po, catalogs.render_merged(po, inputs=inputs)

    def _paths(self, language: str) -> list[Path]:
        """The group's catalogs in `language`: one per template, then any orphans."""
        if language not in self.paths:
            folder = self.config.catalog_dir(language) / self.issue
            expected = [f"{article}.po" for article in self.articles]
            try:
                names = os.listdir(folder)
            except OSError:
                names = []
            # Names, not Path objects: this runs for every group of every language.
            orphans = sorted(
                name
                for name in set(names) - set(expected)
                if name.endswith(".po") and not name.startswith(".")
            )
            self.paths[language] = [folder / name for name in expected + orphans]
        return self.paths[language]

    def _state(self) -> str:
        digest = hashlib.sha1(f"{__version__}\0{self.reference}\0".encode())
        files = [self.config.pot_path(self.issue, a) for a in self.articles]
        files += [self.config.glossary, *self._paths(self.language)]
        if self.reference:
            files += self._paths(self.reference)
        for path in files:
            digest.update(f"\0{path}\0{self.cache.file_digest(path)}".encode())
        return digest.hexdigest()

    def _template(
        self, article: str, problems: list[Problem]
    ) -> tuple[catalogs.POFile, str] | None:
        """The parsed template of `article` and the digest of its bytes."""
        if article not in self.templates:
            path = self.config.pot_path(self.issue, article)
            try:
                data = catalogs.read_bytes(path)
                pot = catalogs.parse_catalog(data, path=path)
                self.templates[article] = (pot, hashlib.sha1(data).hexdigest())
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
            if self.inspect is not None:
                self.inspect(self.language, self.issue, article, po, data)
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
        text: str,
        path: Path,
        original: bytes | None,
        result: StageResult,
        problems: list[Problem],
    ) -> None:
        if self.dry_run:
            if original is None or not catalogs.same_catalog(text, original):
                result.written.append(self.config.relative(path))
            else:
                result.unchanged += 1
            return
        try:
            written = catalogs.save_po(text, path, original=original)
        except ChangedOnDisk as err:
            problems.append(_problem(self.config, err, ""))
            return
        if written:
            result.written.append(self.config.relative(path))
        else:
            result.unchanged += 1


class _Elsewhere(Mapping[catalogs.Key, catalogs.POEntry]):
    """The translations of the issue's other articles (`pool` without `article`'s own).

    A view, not a copy: the merge looks up only the few msgids it cannot find in the
    article's own catalog, and copying the pool for every article was quadratic.
    """

    def __init__(self, pool: dict[catalogs.Key, tuple[str, catalogs.POEntry]], article: str):
        self.pool = pool
        self.article = article

    def __getitem__(self, key: catalogs.Key) -> catalogs.POEntry:
        owner, entry = self.pool[key]
        if owner == self.article:
            raise KeyError(key)
        return entry

    def __iter__(self) -> Iterator[catalogs.Key]:
        return (key for key, (owner, _) in self.pool.items() if owner != self.article)

    def __len__(self) -> int:
        return sum(1 for _ in self)


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

    def empty(self) -> _UpdateCache:
        return _UpdateCache(self.path, {}, {}, {})

    def by_issue(self) -> dict[str, _UpdateCache]:
        """The cache cut by issue: the part a worker needs and sends back."""
        parts: dict[str, _UpdateCache] = {}

        def part(issue: str) -> _UpdateCache:
            return parts.setdefault(issue, self.empty())

        for key, state in self.states.items():
            part(key.rsplit("/", 1)[-1]).states[key] = state
        for key, hashes in self.translated.items():
            part(os.path.basename(os.path.dirname(key))).translated[key] = hashes
        for key, known in self.files.items():
            part(os.path.basename(os.path.dirname(key))).files[key] = known
        return parts

    @classmethod
    def load(cls, path: Path) -> _UpdateCache:
        data = read_cache(path)
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
        write_cache(
            self.path, {"states": self.states, "translated": self.translated, "files": self.files}
        )


def _short_hash(key: catalogs.Key) -> str:
    context, msgid = key
    return hashlib.sha1(f"{context or ''}\x04{msgid}".encode()).hexdigest()[:16]
