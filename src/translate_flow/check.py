"""`translate-flow check`: completeness and quality of the catalogs, for CI and editors.

Owns the numbers a gate is decided on and the findings behind them: per catalog, messages
and source words by state (complete, failing a check, machine draft, memory match, fuzzy
after an English edit, untranslated, obsolete), the quality findings of every reviewed
entry as `Problem` values pointing at its msgid line, the stale-catalog gates (what
`extract` or `update` would change) and the `min-complete` gate per language. Returns a
`CheckReport`; printing and exit statuses belong to `cli`, the output formats to `report`.

"Complete" counts what `build` publishes and nothing more: a translated, non-fuzzy entry
that passes every error-level check. Fuzzy entries never count (sphinx-intl and pybabel
overstate completeness by counting them), and neither does a copy of the English.
The rst checks come from `validate` (the build's own publication gate), the text checks
from `quality`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.messages.plurals import get_plural

from translate_flow import glossary
from translate_flow.archive import find_issues
from translate_flow.catalogs import (
    declared_nplurals,
    entry_origin,
    load_catalog,
    msgid_line,
    plural_forms,
)
from translate_flow.config import Config
from translate_flow.errors import CatalogError, Problem
from translate_flow.quality import Finding, check_text, is_unchanged, word_count
from translate_flow.stage import read_cache, write_cache

# Disjoint states of a catalog entry; "reviewed" is complete + failing.
CATEGORIES = ("complete", "failing", "machine", "memory", "fuzzy", "untranslated", "obsolete")
Category = Literal["complete", "failing", "machine", "memory", "fuzzy", "untranslated", "obsolete"]
Unit = Literal["words", "messages"]

# Below this many articles, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 24

# Extracted comments (`#.`) of messages that build never parses as rst.
_PLAIN_KINDS = {"image alt text": "image", "document title metadata": "document"}


@dataclass
class Counts:
    """Messages and source words per state, for one catalog or a sum of catalogs."""

    messages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))

    def add(self, category: Category, words: int) -> None:
        self.messages[category] += 1
        self.words[category] += words

    def merge(self, other: Counts) -> None:
        for category in CATEGORIES:
            self.messages[category] += other.messages[category]
            self.words[category] += other.words[category]

    def total(self, unit: Unit) -> int:
        """Every current message (obsolete ones are history, not part of the article)."""
        counts = self.words if unit == "words" else self.messages
        return sum(counts[c] for c in CATEGORIES if c != "obsolete")

    def count(self, category: str, unit: Unit) -> int:
        counts = self.words if unit == "words" else self.messages
        if category == "reviewed":
            return counts["complete"] + counts["failing"]
        return counts[category]

    def percent(self, unit: Unit) -> float:
        """Share of complete messages or words; an empty catalog is complete."""
        total = self.total(unit)
        return 100.0 * self.count("complete", unit) / total if total else 100.0


@dataclass(frozen=True)
class CatalogReport:
    language: str
    issue: str
    article: str
    path: str  # the PO file, relative to the project
    counts: Counts


@dataclass(frozen=True)
class LanguageReport:
    language: str
    name: str  # English name, from Babel
    min_complete: float
    counts: Counts
    catalogs: tuple[CatalogReport, ...]

    @property
    def passed(self) -> bool:
        return self.counts.percent("words") >= self.min_complete


@dataclass(frozen=True)
class CheckReport:
    languages: tuple[LanguageReport, ...]
    problems: tuple[Problem, ...]
    strict: bool

    @property
    def passed(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    @property
    def status(self) -> int:
        """0 when every gate passes and no error-level check failed, else 1."""
        return 0 if self.passed else 1


# -- the stage ------------------------------------------------------------------------------


def check(
    config: Config,
    *,
    languages: tuple[str, ...],
    min_complete: float | None = None,
    strict: bool = False,
    jobs: int | None = None,
) -> CheckReport:
    """Check every catalog of `languages`; `min_complete` overrides the configured gate."""
    from translate_flow import pipeline

    issues, layout = find_issues(config)
    problems: list[Problem] = [p for p in layout if p.level != "info"]
    problems.extend(pipeline.stale_templates(config, jobs=jobs))
    problems.extend(glossary.load_glossary(config)[1])  # a bad row of locale/glossary.csv
    articles = [(d.issue, d.name) for issue in issues for d in issue.documents]
    outcomes = _outcomes(config, articles, languages, jobs, problems)
    catalogs: dict[str, list[CatalogReport]] = {language: [] for language in languages}
    for language in languages:
        for issue, name in articles:
            report, found = outcomes[language, issue, name]
            catalogs[language].append(report)
            problems.extend(found)
    results = []
    for language in languages:
        result = _language_report(config, language, catalogs[language], min_complete)
        results.append(result)
        if not result.passed:
            problems.append(_gate_problem(config, result))
    if strict:
        problems = [_strict(p) for p in problems]
    problems.sort(key=lambda p: (p.path, p.line or 0))
    return CheckReport(tuple(results), tuple(problems), strict)


def _outcomes(
    config: Config,
    articles: list[tuple[str, str]],
    languages: tuple[str, ...],
    jobs: int | None,
    problems: list[Problem],
) -> dict[tuple[str, str, str], Outcome]:
    """Every catalog's counts and findings: from the cache when its bytes are unchanged.

    The others are checked by the dry run of `update` as it parses them (each file is read
    and parsed once); those it does not parse (a group it skipped as up to date, a catalog
    the strict reader refused) are checked afterwards. Adds the stale-catalog findings to
    `problems`.
    """
    from translate_flow.stage import CACHE_DIR

    cache = _CheckCache.load(config.root / CACHE_DIR / CACHE_FILE)
    terms = glossary.digest(config)  # the glossary check's findings depend on it too
    outcomes: dict[tuple[str, str, str], Outcome] = {}
    digests: dict[str, str | None] = {}
    places: dict[tuple[str, str, str], str] = {}  # project-relative path of each catalog
    for issue, name in articles:
        for language in languages:
            path = config.po_path(language, issue, name)
            where = places[language, issue, name] = config.relative(path)
            if where not in cache.entries:
                continue  # never checked (a cold run): nothing to compare, no hashing here
            digests[where] = _digest(path, terms)
            cached = cache.lookup(where, digests[where])
            if cached is not None:
                outcomes[language, issue, name] = cached
    wanted = frozenset(where for key, where in places.items() if key not in outcomes)
    stale, inspected = _dry_run(config, languages, jobs, wanted)
    problems.extend(stale)
    fresh: list[Outcome] = []
    for where, found in inspected.items():
        if isinstance(found, tuple):  # hashed in the worker, from the bytes it checked
            report, found_problems, data_digest = found
            fresh.append((report, found_problems))
            digests[where] = data_digest + terms
    tasks: list[Task] = []
    for issue, name in articles:
        todo = tuple(
            language
            for language in languages
            if (language, issue, name) not in outcomes
            and places[language, issue, name] not in inspected
        )
        if todo:
            tasks.append((issue, name, todo))
    for done in _check_articles(config, tasks, jobs):
        fresh.extend(done)
    for outcome in fresh:
        report = outcome[0]
        outcomes[report.language, report.issue, report.article] = outcome
        if report.path not in digests:
            digests[report.path] = _digest(config.root / report.path, terms)
        cache.store(outcome, digests[report.path])
    cache.save()
    return outcomes


def stale_catalogs(config: Config, *, languages: tuple[str, ...]) -> list[Problem]:
    """The dry run of `update`: one error per catalog it would write or create."""
    return _dry_run(config, languages, None, frozenset())[0]


def _dry_run(
    config: Config, languages: tuple[str, ...], jobs: int | None, wanted: frozenset[str]
) -> tuple[list[Problem], dict[str, object]]:
    from translate_flow import update

    result, inspected = update.update_issues(
        config,
        languages=list(languages),
        dry_run=True,
        jobs=jobs,
        inspect=_inspect,
        wanted=wanted,
    )
    locale = config.relative(config.locale_dir)
    problems = []
    for where in result.written:
        language = Path(where).relative_to(locale).parts[0]
        exists = (config.root / where).is_file()
        state = "is out of date with its template" if exists else "is missing"
        problems.append(
            Problem(
                where,
                None,
                "error",
                f"the catalog {state}; run `translate-flow update -l {language}`",
                "stale-catalog",
            )
        )
    return problems, inspected


def _inspect(
    config: Config, language: str, issue: str, article: str, po: Any, data: bytes
) -> tuple[CatalogReport, list[Problem], str]:
    """`check_catalog` on a catalog the dry run of `update` has already read and parsed,
    with the digest of its bytes (for the cache; computed here, in the worker)."""
    path = config.po_path(language, issue, article)
    report = CatalogReport(language, issue, article, config.relative(path), Counts())
    problems: list[Problem] = []
    _check_parsed(config, po, data.decode("utf-8").splitlines(), language, report, problems)
    return report, problems, hashlib.sha1(data).hexdigest()


def _language_report(
    config: Config, language: str, catalogs: list[CatalogReport], min_complete: float | None
) -> LanguageReport:
    counts = Counts()
    for catalog in catalogs:
        counts.merge(catalog.counts)
    required = config.min_complete_for(language) if min_complete is None else min_complete
    return LanguageReport(
        language=language,
        name=Locale.parse(language).english_name or language,
        min_complete=required,
        counts=counts,
        catalogs=tuple(catalogs),
    )


def _gate_problem(config: Config, result: LanguageReport) -> Problem:
    percent = floor_percent(result.counts.percent("words"))
    return Problem(
        config.relative(config.catalog_dir(result.language)),
        None,
        "error",
        f"{result.name} is {percent:.1f}% complete by words, below the required "
        f"{result.min_complete:g}%; review the machine drafts and fuzzy entries "
        f"(`translate-flow check -l {result.language} -v` lists them by article)",
        "min-complete",
    )


def floor_percent(value: float) -> float:
    """Rounded down to one decimal, so 79.96% never shows as a passing 80.0%."""
    return int(value * 10) / 10


def _strict(problem: Problem) -> Problem:
    if problem.level != "warning":
        return problem
    return Problem(problem.path, problem.line, "error", problem.message, problem.check)


# -- catalogs, in parallel by article --------------------------------------------------------

Outcome = tuple[CatalogReport, list[Problem]]


Task = tuple[str, str, tuple[str, ...]]  # issue, article, languages


def _check_articles(config: Config, tasks: list[Task], jobs: int | None) -> Iterator[list[Outcome]]:
    # One task is one article in every language, so its msgids are parsed once per process.
    workers = jobs or os.cpu_count() or 1
    if workers > 1 and len(tasks) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, min(16, len(tasks) // (workers * 4)))
            yield from pool.map(_check_article, [config] * len(tasks), tasks, chunksize=chunk)
    else:
        for task in tasks:
            yield _check_article(config, task)


def _check_article(config: Config, task: Task) -> list[Outcome]:
    issue, name, languages = task
    return [check_catalog(config, language=lang, issue=issue, article=name) for lang in languages]


def check_catalog(config: Config, *, language: str, issue: str, article: str) -> Outcome:
    """Counts and findings of one article's catalog in one language."""
    path = config.po_path(language, issue, article)
    where = config.relative(path)
    counts = Counts()
    problems: list[Problem] = []
    report = CatalogReport(language, issue, article, where, counts)
    if not path.is_file():
        _count_template(config, issue, article, counts)  # `stale_catalogs` reports it
        return report, problems
    try:
        po = load_catalog(path)
        lines = path.read_text(encoding="utf-8").splitlines()
    except CatalogError as err:
        _count_template(config, issue, article, counts)
        problems.append(Problem(where, err.line, "error", err.message, "catalog"))
        return report, problems
    _check_parsed(config, po, lines, language, report, problems)
    return report, problems


def _check_parsed(
    config: Config,
    po: Any,
    lines: list[str],
    language: str,
    report: CatalogReport,
    problems: list[Problem],
) -> None:
    where, counts = report.path, report.counts
    problems.extend(_header_problems(po, language, where))
    terms = glossary.project_glossary(config)
    for entry in po:
        words = word_count(entry.msgid)
        if entry.obsolete:
            counts.add("obsolete", words)
            continue
        category, found = _check_entry(entry, language)
        if category in ("complete", "failing") and not entry.msgid_plural:
            found += [
                Finding(glossary.CHECK, "warning", message)
                for message in terms.findings(entry.msgid, entry.msgstr, language)
            ]
        counts.add(category, words)
        if found:
            line = msgid_line(entry, lines)
            problems.extend(Problem(where, line, f.level, f.message, f.check) for f in found)


def _count_template(config: Config, issue: str, article: str, counts: Counts) -> None:
    """A missing or unreadable catalog: everything in the template is untranslated."""
    try:
        pot = load_catalog(config.pot_path(issue, article))
    except CatalogError:
        return
    for entry in pot:
        if not entry.obsolete:
            counts.add("untranslated", word_count(entry.msgid))


def _header_problems(po: Any, language: str, where: str) -> list[Problem]:
    declared = declared_nplurals(po)
    expected = get_plural(language).num_plurals
    if declared is None or declared == expected:
        return []
    return [
        Problem(
            where,
            None,
            "warning",
            f"the header declares nplurals={declared}, but {language} has {expected} plural "
            "forms (CLDR); run `translate-flow update` to restore the standard Plural-Forms",
            "plural-forms",
        )
    ]


def _check_entry(entry: Any, language: str) -> tuple[Category, list[Finding]]:
    origin = entry_origin(entry)
    if origin != "reviewed":
        return origin, []
    msgid: str = entry.msgid
    if entry.msgid_plural:
        findings = _plural_findings(entry, language)
    else:
        msgstr: str = entry.msgstr
        findings = list(check_text(msgid, msgstr, language))
        if not msgstr.strip() or is_unchanged(msgid, msgstr):
            return "untranslated", findings
        findings.extend(markup_findings(msgid, msgstr, kind=_kind(entry)))
    failing = any(f.level == "error" for f in findings)
    return ("failing" if failing else "complete"), findings


def _plural_findings(entry: Any, language: str) -> list[Finding]:
    # The strict reader has already refused a catalog whose entries have more or fewer forms
    # than its Plural-Forms header declares.
    forms = plural_forms(entry)
    findings: list[Finding] = []
    sources = [entry.msgid] + [entry.msgid_plural] * (len(forms) - 1)
    for source, form in zip(sources, forms, strict=True):
        if not form.strip():
            findings.append(
                Finding("plural-forms", "error", "a plural form is empty; fill in every form")
            )
            continue
        findings.extend(f for f in check_text(source, form, language) if f.check != "numbers")
        findings.extend(markup_findings(source, form, kind="paragraph"))
    return findings


def _kind(entry: Any) -> str:
    """The node kind build checks the entry as: plain text for alt texts and metadata."""
    kinds = [line for line in (entry.comment or "").split("\n") if line]
    plain = [_PLAIN_KINDS.get(kind) for kind in kinds]
    if kinds and all(plain):
        return str(plain[0])
    return "paragraph"


# -- the cache: catalogs unchanged since the last check are not read again ------------------

CACHE_FILE = "check.json"


def _digest(path: Path, salt: str = "") -> str | None:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest() + salt
    except OSError:
        return None


class _CheckCache:
    """Per catalog: the digest of the PO file at the last check, its counts and findings.

    Only catalogs that were read are stored; a missing or unreadable one is checked again.
    """

    def __init__(self, path: Path, entries: dict[str, dict[str, Any]]):
        self.path = path
        self.entries = entries
        self.changed = False

    @classmethod
    def load(cls, path: Path) -> _CheckCache:
        catalogs = read_cache(path).get("catalogs")
        return cls(path, catalogs if isinstance(catalogs, dict) else {})

    def lookup(self, where: str, digest: str | None) -> Outcome | None:
        entry = self.entries.get(where)
        if digest is None or entry is None or entry.get("digest") != digest:
            return None
        counts = Counts(messages=dict(entry["messages"]), words=dict(entry["words"]))
        report = CatalogReport(entry["language"], entry["issue"], entry["article"], where, counts)
        return report, [Problem(**problem) for problem in entry["problems"]]

    def store(self, outcome: Outcome, digest: str | None) -> None:
        report, problems = outcome
        if digest is None or any(p.check in ("catalog", "stale-catalog") for p in problems):
            self.entries.pop(report.path, None)
            return
        self.entries[report.path] = {
            "digest": digest,
            "language": report.language,
            "issue": report.issue,
            "article": report.article,
            "messages": report.counts.messages,
            "words": report.counts.words,
            "problems": [problem.__dict__ for problem in problems],
        }
        self.changed = True

    def save(self) -> None:
        if self.changed:
            write_cache(self.path, {"catalogs": self.entries})


# -- markup: validate's verdict, with a fast path for plain prose -----------------------------

# Anything that can start inline markup, a standalone link, a block construct or a character
# validate refuses. A text with none of these parses as one paragraph of plain text.
_MARKUP_CHARS = re.compile(
    r"[*`_|\[\]\\@<>\n\r\t\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
    r"|:\S"
)
_BLOCK_START = re.compile(r"^(?:[^\w«\"“„'‘(]|\(?(?:\d+|[a-zA-Z]|[ivxlcdmIVXLCDM]+|#)[.)](?:\s|$))")
_PLAIN_LIMIT = 5000


@lru_cache(maxsize=65536)
def is_plain(text: str) -> bool:
    """Whether `text` is certainly one paragraph of plain text for docutils."""
    return (
        bool(text)
        and len(text) < _PLAIN_LIMIT
        and _MARKUP_CHARS.search(text) is None
        and _BLOCK_START.match(text) is None
        and not text.endswith("::")
    )


def markup_findings(msgid: str, msgstr: str, *, kind: str) -> list[Finding]:
    """rst validity and markup parity, from `validate`.

    What the build refuses is an error; markup of the msgid the translation dropped (a link,
    a footnote reference, a literal) is a warning, since the build publishes it all the same.
    """
    if is_plain(msgstr) and is_plain(msgid):
        return []  # nothing to parse wrong, no markup to lose
    from translate_flow import validate

    verdict = validate.check_translation(msgid=msgid, msgstr=msgstr, kind=kind)
    findings = [Finding(reason.check, "error", reason.message) for reason in verdict.reasons]
    findings.extend(
        Finding(reason.check, "warning", reason.message)
        for reason in validate.missing_markup(msgid=msgid, verdict=verdict)
    )
    return findings
