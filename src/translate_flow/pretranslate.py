"""The pretranslate stage: drafts for the empty entries of every catalog.

Owns which entries get a draft and how a draft is written into a catalog. For each selected
language it gathers every empty, non-obsolete, non-fuzzy entry of
`locale/<lang>/LC_MESSAGES/<issue>/<article>.po`, asks an ordered list of suggestion sources
for drafts (translation memory first, when it is plugged in; machine translation last), and
writes each draft as a `fuzzy` entry whose translator comment says where it came from:

    # machine-translation: argos translate-en_ru-1_9 1.9 en>ru 2026-11-28
    # machine-translation-problem: number missing: 12

An entry that already has a msgstr, or is fuzzy, is never touched. Nothing is written until
every language's drafts are computed, so a broken model leaves every file as it was. Running
the models is `mt.py`'s job, markup placeholders `masking.py`'s, PO files `catalogs.py`'s.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polib

from translate_flow import glossary, masking, memory, models, mt
from translate_flow.archive import find_issues
from translate_flow.catalogs import (
    MT_COMMENT,
    MT_PROBLEM_COMMENT,
    now_stamp,
    parse_catalog,
    read_bytes,
    save_catalog,
)
from translate_flow.config import Config
from translate_flow.errors import CatalogError, Problem
from translate_flow.files import ChangedOnDisk, project_lock
from translate_flow.stage import CACHE_DIR, StageResult

# (language, entries done, entries to do), for a progress bar.
EntryProgress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Suggestion:
    """A draft for one msgid, with the translator comment lines that say where it is from."""

    text: str
    comments: tuple[str, ...]
    fuzzy: bool = True  # False only for an exact memory match with memory-exact = "reviewed"
    previous_msgid: str | None = None  # a close memory match: the English it translated


class SuggestionSource(Protocol):
    """Something that drafts translations: translation memory, a machine translation route.

    `suggest` answers for a batch of msgids at once (engines are fast only in batches), with
    None where it has nothing; later sources are asked only for what earlier ones left.
    """

    @property
    def origin(self) -> str:
        """ "memory" or "mt": how the summary counts its drafts."""
        ...

    def suggest(
        self, msgids: Sequence[str], *, progress: mt.Progress | None = None
    ) -> list[Suggestion | None]: ...


@dataclass
class MachineTranslation:
    """Machine translation through one route, markup masked on the way, checked after."""

    translator: mt.CachedEngine | mt.Chain
    date: str
    origin: str = "mt"
    # Spans of a msgid the model must copy as they are (the glossary's do-not-translate terms).
    keep: Callable[[str], list[tuple[int, int]]] | None = None

    @property
    def provenance(self) -> tuple[str, ...]:
        """One line per package of the route (a chain has two), each short enough that a
        79-column PO file never wraps it."""
        route = self.translator.route
        return tuple(
            f"{MT_COMMENT} argos {p.name} {p.package_version or '-'} {route.name} {self.date}"
            for p in route.packages
        )

    def suggest(
        self, msgids: Sequence[str], *, progress: mt.Progress | None = None
    ) -> list[Suggestion | None]:
        keep = self.keep or (lambda msgid: [])
        masked = [masking.mask(msgid, keep=keep(msgid)) for msgid in msgids]
        outputs = self.translator.translate([m.text for m in masked], progress=progress)
        suggestions: list[Suggestion | None] = []
        for msgid, output, item in zip(msgids, outputs, masked, strict=True):
            text, problems = masking.translate_masked(msgid, output, item)
            comments = self.provenance + tuple(f"{MT_PROBLEM_COMMENT} {p}" for p in problems)
            suggestions.append(Suggestion(text, comments) if text.strip() else None)
        return suggestions


@dataclass
class MemoryDrafts:
    """The translation memory as a suggestion source: exact and close matches."""

    source: memory.MemorySource
    origin: str = "memory"

    def suggest(
        self, msgids: Sequence[str], *, progress: mt.Progress | None = None
    ) -> list[Suggestion | None]:
        drafts: list[Suggestion | None] = []
        for msgid in msgids:
            found = self.source.suggest(msgid)
            drafts.append(
                None
                if found is None
                else Suggestion(
                    found.msgstr,
                    (found.comment(),),
                    fuzzy=not self.source.reviewed(found),
                    previous_msgid=None if found.exact else found.msgid,
                )
            )
        if progress is not None:
            progress(len(msgids), len(msgids))
        return drafts


@dataclass
class _Catalog:
    path: Path
    po: polib.POFile
    todo: list[polib.POEntry]
    original: bytes  # as read: a file saved meanwhile by a translator is not written over


@dataclass
class _Language:
    code: str
    catalogs: list[_Catalog] = field(default_factory=list)
    drafts: dict[str, tuple[str, Suggestion]] = field(default_factory=dict)  # msgid → origin
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def msgids(self) -> list[str]:
        return list(dict.fromkeys(e.msgid for c in self.catalogs for e in c.todo))


def pretranslate(
    config: Config,
    *,
    languages: Sequence[str] | None = None,
    sources: Callable[[str], list[SuggestionSource]] | None = None,
    progress: EntryProgress | None = None,
) -> StageResult:
    """Fill the empty entries of the selected languages' catalogs with fuzzy drafts.

    `sources(language)` gives the suggestion sources asked before machine translation
    (by default the language's translation memory); machine translation is always asked
    last, with the glossary's do-not-translate terms kept as placeholders.
    """
    result = StageResult()
    selected = config.select_languages(list(languages) if languages else None)
    packages = models.installed_packages(models.package_dirs(config))
    cache = mt.TranslationCache(config.root / CACHE_DIR / "cache" / "mt.sqlite3")
    date = now_stamp()[:10]
    terms, problems = glossary.load_glossary(config)
    result.problems.extend(problems)
    work = []
    try:
        for code in selected:
            language = _gather(config, code, result)
            chain: list[SuggestionSource] = (
                list(sources(code)) if sources else _memory(config, code, result)
            )
            route = models.find_route(packages, config.source_language, code)
            if route is not None:
                engine = mt.engine_for(route, cache=cache, beam_size=config.mt_beam_size)
                keep = functools.partial(terms.keep_spans, language=code)
                chain.append(MachineTranslation(engine, date, keep=keep))
            _draft(language, chain, progress)
            if route is None and language.msgids:
                result.notes.append(_no_route_note(config, language))
            work.append(language)
    finally:
        cache.close()
    # Every draft exists: only now is anything written, under the lock `update` takes.
    with project_lock(config.root):
        for language in work:
            _write(config, language, result)
            result.notes.append(_summary(language))
    return result


def _memory(config: Config, code: str, result: StageResult) -> list[SuggestionSource]:
    """The language's translation memory; unreadable catalogs are `_gather`'s to report."""
    found, problems = memory.build_memory(config, code)
    result.problems.extend(p for p in problems if not p.path.endswith(".po"))
    source = memory.MemorySource(
        found, threshold=config.memory_threshold, exact_state=config.memory_exact
    )
    return [MemoryDrafts(source)]


def _gather(config: Config, code: str, result: StageResult) -> _Language:
    language = _Language(code)
    issues, _ = find_issues(config)  # layout problems are extract's to report
    for issue in issues:
        for document in issue.documents:
            path = config.po_path(code, issue.name, document.name)
            if not path.is_file():
                continue
            try:
                original = read_bytes(path)
                po = parse_catalog(original, path=path)
            except CatalogError as err:
                result.problems.append(
                    Problem(config.relative(path), err.line, "error", err.message)
                )
                continue
            todo = [entry for entry in po if _is_empty(entry)]
            language.catalogs.append(_Catalog(path, po, todo, original))
    return language


def _is_empty(entry: polib.POEntry) -> bool:
    """An entry pretranslate may fill: no translation at all, not fuzzy, not obsolete."""
    return bool(
        entry.msgid
        and not entry.msgid_plural
        and not entry.msgstr
        and not entry.obsolete
        and "fuzzy" not in entry.flags
    )


def _draft(
    language: _Language, chain: list[SuggestionSource], progress: EntryProgress | None
) -> None:
    started = time.monotonic()
    remaining = language.msgids
    total = len(remaining)
    language.counts = {"memory": 0, "mt": 0, "new": 0, "problems": 0}
    for source in chain:
        if not remaining:
            break
        done_before = total - len(remaining)
        report = _entry_progress(progress, language.code, done_before, len(remaining), total)
        answers = source.suggest(remaining, progress=report)
        left = []
        for msgid, suggestion in zip(remaining, answers, strict=True):
            if suggestion is None:
                left.append(msgid)
                continue
            language.drafts[msgid] = (source.origin, suggestion)
        if isinstance(source, MachineTranslation):
            language.counts["new"] += _model_work(source.translator)
        remaining = left
    language.seconds = time.monotonic() - started


def _entry_progress(
    progress: EntryProgress | None, code: str, before: int, count: int, total: int
) -> mt.Progress | None:
    """Turn an engine's (sentences done, sentences) into entries, for the progress bar."""
    if progress is None:
        return None
    progress(code, before, total)
    return lambda done, of: progress(code, before + (count * done) // max(of, 1), total)


def _model_work(translator: mt.CachedEngine | mt.Chain) -> int:
    """How many texts the (first) model really translated: the rest came from the cache."""
    first = translator.steps[0] if isinstance(translator, mt.Chain) else translator
    return first.engine.counters.texts


def _write(config: Config, language: _Language, result: StageResult) -> None:
    filled = 0
    for catalog in language.catalogs:
        changed = False
        for entry in catalog.todo:
            if entry.msgid not in language.drafts:
                continue
            origin, suggestion = language.drafts[entry.msgid]
            language.counts[origin] = language.counts.get(origin, 0) + 1
            entry.msgstr = suggestion.text
            if suggestion.fuzzy:
                entry.flags.append("fuzzy")
            if suggestion.previous_msgid is not None:
                entry.previous_msgid = suggestion.previous_msgid
            lines = ([entry.tcomment] if entry.tcomment else []) + list(suggestion.comments)
            entry.tcomment = "\n".join(lines)
            filled += 1
            changed = True
            if any(line.startswith(MT_PROBLEM_COMMENT) for line in suggestion.comments):
                language.counts["problems"] += 1
        if changed and _save(config, catalog, result):
            result.written.append(config.relative(catalog.path))
        elif catalog.todo:
            result.unchanged += 1
    language.counts["filled"] = filled
    language.counts["empty"] = sum(len(c.todo) for c in language.catalogs) - filled


def _save(config: Config, catalog: _Catalog, result: StageResult) -> bool:
    """Write the drafts of `catalog`, unless the file changed since it was read (a translator
    saved it during a long machine translation run): then report it and keep their work."""
    try:
        return save_catalog(
            catalog.po, catalog.path, date_header="PO-Revision-Date", original=catalog.original
        )
    except ChangedOnDisk as err:
        result.problems.append(Problem(config.relative(catalog.path), None, "error", err.message))
        return False


def _no_route_note(config: Config, language: _Language) -> str:
    entries = sum(len(c.todo) for c in language.catalogs)
    source = config.source_language
    return (
        f"{language.code}: no machine translation model installed; {entries} entries left "
        f"for translators; install one with `translate-flow models install "
        f"FILE.argosmodel` or `translate-flow models install --from-index {source} "
        f"{language.code}`"
    )


def _summary(language: _Language) -> str:
    counts = language.counts
    problems = f", {counts['problems']} need a markup or number fix" if counts["problems"] else ""
    return (
        f"{language.code}: filled {counts.get('filled', 0)} "
        f"(from memory {counts.get('memory', 0)}, from MT {counts.get('mt', 0)}; "
        f"{counts.get('new', 0)} new to the model), left empty {counts.get('empty', 0)}"
        f"{problems}, {language.seconds:.1f} s"
    )
