"""Terminology.

Owns the project glossary, `locale/glossary.csv`: reading it, finding its terms in an
English message, and the three uses of a match — the hint a catalog entry carries
(`#. glossary: UNODC = УНП ООН`), the spans machine translation must keep as they are
(do-not-translate terms travel as placeholders), and the finding `check` reports when a
translation lacks the approved rendering.

The file has one row per term: `term` (English; spellings separated by `|`, e.g.
`MoU|MOU|Memorandum of Understanding`), `note` (part of speech or what the term names),
`do-not-translate` (`yes` to keep the English as it is, except in a language whose column
gives a rendering), and one column per language with the approved rendering (accepted
variants separated by `|`, the first one preferred).

Renderings are matched the way the languages inflect them. Russian declines nouns and
adjectives by changing their endings, so each word of a rendering is cut to its stem (a
per-language set of endings, never below three letters) and the translation must contain
words starting with those stems, in order: `Казахстан` accepts `Казахстана`, `Казахстане`,
never `Киргизия` for `Кыргызстан`. The Turkic languages (kk, ky, uz, tk) and Tajik add
suffixes to an unchanged base (`Қазақстанның`, `БҰҰ-ның`, `Oʻzbekistonda`), so the base is
the stem, less a final consonant that voices before a suffix (`к/қ/п`, `k/q/p`).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate_flow.errors import Problem

if TYPE_CHECKING:
    from translate_flow.config import Config

HINT = "glossary:"
CHECK = "glossary"
KEEP_VALUES = {"yes": True, "y": True, "true": True, "x": True, "1": True, "": False, "no": False}
RESERVED_COLUMNS = ("term", "note", "do-not-translate")

MIN_STEM = 3

# Russian case endings of nouns and adjectives (singular and plural), longest tried first.
_RU_ENDING_LIST = (
    "а я о е ё у ю ы и й ь ой ей ою ею ом ем ам ям ах ях ов ев ий ый ая яя ое ее ые ие ую юю "
    "ого его ому ему ым им ых их ыми ими ами ями ия ию ии ией"
)
_RU_ENDINGS = sorted(
    _RU_ENDING_LIST.split(),
    key=len,
    reverse=True,
)
_ENDINGS: dict[str, list[str]] = {"ru": _RU_ENDINGS}
# Agglutinative languages: a final voiceless consonant may voice before a suffix
# (kk `пакт`, uz `Tojik` → `Tojigi`); the rest of the base stays as written.
_VOICING: dict[str, str] = {"kk": "кқп", "ky": "кп", "tg": "кқп", "uz": "kqp", "tk": "kp"}
# Spellings that differ without a difference in meaning.
_NORMALISE: dict[str, dict[int, Any]] = {
    "ru": str.maketrans("ёЁ", "еЕ"),
    "tg": str.maketrans("ӣӢ", "иИ"),
    "uz": str.maketrans({"'": "ʻ", "’": "ʻ", "‘": "ʻ", "`": "ʻ", "ʼ": "ʻ"}),
}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """One glossary row."""

    forms: tuple[str, ...]  # English spellings, the first preferred
    note: str
    keep: bool  # do not translate: the English stays as it is
    renderings: Mapping[str, tuple[str, ...]]  # language → approved renderings, first preferred
    line: int

    @property
    def name(self) -> str:
        return self.forms[0]

    def approved(self, language: str) -> tuple[str, ...]:
        """The accepted renderings in `language`; empty when the glossary has none."""
        if self.keep:
            return self.renderings.get(language) or self.forms
        return self.renderings.get(language, ())

    def kept_in(self, language: str) -> bool:
        """Whether the English stays as it is in `language` (no rendering overrides it)."""
        return self.keep and language not in self.renderings


@dataclass(frozen=True)
class Match:
    """A term found in an English message."""

    term: Term
    start: int
    end: int
    form: str  # the spelling found (`MOU`, `Memorandum of Understanding`), without a plural


class Glossary:
    """The terms of a project, with one pattern that finds them all in a message."""

    def __init__(self, terms: Iterable[Term] = (), *, path: str = "locale/glossary.csv") -> None:
        self.terms = tuple(terms)
        self.path = path
        by_form = {form: term for term in self.terms for form in term.forms}
        self._by_form = by_form
        alternatives = "|".join(re.escape(form) for form in sorted(by_form, key=len, reverse=True))
        # Longest spelling first, whole words only; an English plural or possessive still counts.
        self._pattern = (
            re.compile(rf"(?<!\w)(?P<form>{alternatives})(?:['’]s|s)?(?!\w)") if by_form else None
        )
        # `check` asks about each msgid once per language, and the terms never change. A plain
        # dict of strings and (mostly empty) tuples: nothing new for the garbage collector.
        self._terms_of: dict[str, tuple[Term, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        # A glossary goes to worker processes by pickle; its cache stays behind.
        return {**self.__dict__, "_terms_of": {}}

    def __len__(self) -> int:
        return len(self.terms)

    def find(self, text: str) -> list[Match]:
        """Every term in `text`, left to right, the longest where spellings overlap."""
        if self._pattern is None:
            return []
        return [
            Match(self._by_form[m["form"]], m.start(), m.end(), m["form"])
            for m in self._pattern.finditer(text)
        ]

    def terms_in(self, text: str) -> list[Term]:
        """The distinct terms of `text`, in order of first appearance."""
        return list({id(m.term): m.term for m in self.find(text)}.values())

    def hints(self, text: str, language: str) -> list[str]:
        """One `glossary: term = rendering` line per term of `text` with a rendering, the
        term spelled as `text` spells it."""
        first = {id(m.term): m for m in reversed(self.find(text))}
        lines = []
        for match in sorted(first.values(), key=lambda m: m.start):
            approved = match.term.approved(language)
            if not approved:
                continue
            keep = " (do not translate)" if match.term.kept_in(language) else ""
            lines.append(f"{HINT} {match.form} = {approved[0]}{keep}")
        return lines

    def keep_spans(self, text: str, language: str) -> list[tuple[int, int]]:
        """Where `text` has terms kept in `language`: machine translation must copy these."""
        return [(m.start, m.end) for m in self.find(text) if m.term.kept_in(language)]

    def missing(self, msgid: str, msgstr: str, language: str) -> list[Term]:
        """The terms of `msgid` whose approved rendering `msgstr` lacks (inflected forms count)."""
        terms = self._terms_of.get(msgid)
        if terms is None:
            terms = self._terms_of[msgid] = tuple(self.terms_in(msgid))
        wanted = [(term, approved) for term in terms if (approved := term.approved(language))]
        if not wanted:
            return []  # most messages: no term to look for, so no need to read the msgstr
        words = _words(msgstr, language)
        return [
            term
            for term, approved in wanted
            if not any(_contains(words, rendering, language) for rendering in approved)
        ]

    def findings(self, msgid: str, msgstr: str, language: str) -> list[str]:
        """What the glossary check says about a translation: one message per missing term."""
        messages = []
        for term in self.missing(msgid, msgstr, language):
            approved = " or ".join(f"“{rendering}”" for rendering in term.approved(language))
            how = "kept as" if term.kept_in(language) else "translated"
            messages.append(f"“{term.name}” should be {how} {approved} ({self.path}:{term.line})")
        return messages


def add_hints(entry: Any, glossary: Glossary, language: str) -> bool:
    """Refresh the `glossary:` lines of a polib entry's extracted comment; returns if changed.

    Other extracted comment lines (the node kind from the template) stay first and as they
    are, so running this twice changes nothing.
    """
    lines = [line for line in (entry.comment or "").split("\n") if line]
    kept = [line for line in lines if not line.startswith(HINT)]
    new = kept + glossary.hints(entry.msgid, language)
    if new == lines:
        return False
    entry.comment = "\n".join(new)
    return True


def annotate(po: Iterable[Any], glossary: Glossary, language: str) -> int:
    """`add_hints` for every current entry of a catalog; returns how many changed."""
    return sum(
        add_hints(entry, glossary, language) for entry in po if entry.msgid and not entry.obsolete
    )


def glossary_findings(entry: Any, glossary: Glossary, language: str, *, path: str) -> list[Problem]:
    """Warnings for a translated polib entry that lacks an approved rendering of its terms."""
    if not entry.msgstr or entry.obsolete:
        return []
    return [
        Problem(path, entry.linenum or None, "warning", message, CHECK)
        for message in glossary.findings(entry.msgid, entry.msgstr, language)
    ]


# -- matching inflected forms ---------------------------------------------------------------------


def _tokens(text: str, language: str) -> list[str]:
    table = _NORMALISE.get(language)
    return _WORD.findall(text.translate(table) if table else text)


def _words(text: str, language: str) -> list[str]:
    return [token.casefold() for token in _tokens(text, language)]


def _stem(word: str, language: str, *, abbreviation: bool) -> str:
    if abbreviation:
        return word
    for ending in _ENDINGS.get(language, ()):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    voicing = _VOICING.get(language, "")
    if voicing and word[-1] in voicing and len(word) > MIN_STEM:
        return word[:-1]
    return word


def _contains(words: list[str], rendering: str, language: str) -> bool:
    """Whether `words` has, in a row, words starting with the stems of `rendering`'s words."""
    stems = _stems(rendering, language)
    if not stems:
        return True
    last = len(words) - len(stems)
    return any(
        all(words[i + j].startswith(stem) for j, stem in enumerate(stems)) for i in range(last + 1)
    )


@lru_cache(maxsize=4096)
def _stems(rendering: str, language: str) -> tuple[str, ...]:
    return tuple(
        _stem(token.casefold(), language, abbreviation=token.isupper())
        for token in _tokens(rendering, language)
    )


# -- reading the file -----------------------------------------------------------------------------


def load_glossary(config: Config) -> tuple[Glossary, list[Problem]]:
    """The project glossary; a missing file is an empty glossary, a bad row a finding."""
    path = config.glossary
    name = config.relative(path)
    if not path.is_file():
        return Glossary(path=name), []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        return Glossary(path=name), [Problem(name, None, "error", f"cannot read: {err}", CHECK)]
    return read_glossary(text, name=name, languages=config.languages)


def project_glossary(config: Config) -> Glossary:
    """The project glossary, read once per process and again only when the file changes
    (for stages that check catalogs in worker processes); its problems are `load_glossary`'s."""
    path = config.glossary
    try:
        stat = path.stat()
        key = (config.root, path, config.languages, stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (config.root, path, config.languages, 0, -1)
    # `check` asks once per catalog; the file's name (`config.relative`, which resolves
    # symlinks) is worked out only when the file is read.
    glossary = _LOADED.get(key)
    if glossary is None:
        if len(_LOADED) >= 4:
            _LOADED.clear()
        glossary = _LOADED[key] = _read_project_glossary(
            path, config.relative(path), config.languages
        )
    return glossary


_LOADED: dict[tuple[object, ...], Glossary] = {}


def _read_project_glossary(path: Path, name: str, languages: tuple[str, ...]) -> Glossary:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return Glossary(path=name)
    return read_glossary(text, name=name, languages=languages)[0]


def digest(config: Config) -> str:
    """What the findings of the glossary check depend on: the file's bytes."""
    try:
        return hashlib.sha1(config.glossary.read_bytes()).hexdigest()
    except OSError:
        return "none"


def read_glossary(
    text: str, *, name: str, languages: Iterable[str]
) -> tuple[Glossary, list[Problem]]:
    """Parse the CSV text of a glossary (see the module docstring for its columns)."""
    problems: list[Problem] = []
    reader = csv.DictReader(text.splitlines(keepends=True))
    columns = [column.strip() for column in reader.fieldnames or []]
    if "term" not in columns:
        return Glossary(path=name), [
            Problem(name, 1, "error", "no `term` column in the header row", CHECK)
        ]
    wanted = set(languages)
    terms: list[Term] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            cells = {
                (key or "").strip(): (value or "").strip()
                for key, value in row.items()
                if isinstance(value, str)
            }
            term = _term(cells, line, wanted, name, problems)
            if term is None:
                continue
            duplicate = next((seen[form] for form in term.forms if form in seen), None)
            if duplicate is not None:
                problems.append(
                    Problem(
                        name,
                        line,
                        "warning",
                        f"“{term.name}” is already on line {duplicate}",
                        CHECK,
                    )
                )
                continue
            seen.update(dict.fromkeys(term.forms, line))
            terms.append(term)
    except csv.Error as err:
        problems.append(Problem(name, reader.line_num, "error", f"not valid CSV: {err}", CHECK))
    return Glossary(terms, path=name), problems


def _term(
    cells: dict[str, str], line: int, languages: set[str], name: str, problems: list[Problem]
) -> Term | None:
    forms = _alternatives(cells.get("term", ""))
    if not forms:
        if any(cells.values()):
            problems.append(Problem(name, line, "warning", "row without a term; ignored", CHECK))
        return None
    flag = cells.get("do-not-translate", "").casefold()
    if flag not in KEEP_VALUES:
        problems.append(
            Problem(
                name,
                line,
                "warning",
                f"do-not-translate is “{flag}”; use yes or leave it empty",
                CHECK,
            )
        )
    renderings = {
        column: _alternatives(value)
        for column, value in cells.items()
        if column in languages and column not in RESERVED_COLUMNS and value
    }
    return Term(
        forms=forms,
        note=cells.get("note", ""),
        keep=KEEP_VALUES.get(flag, False),
        renderings=renderings,
        line=line,
    )


def _alternatives(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())
