"""Translation memory.

Owns reusing human translations: collecting every reviewed entry of a language's catalogs
(all issues, all articles) and the TMX files a team drops into `locale/memory/`, finding an
exact or close match for a new English message (with the comment that records where it came
from, and whether it may be filled as reviewed), and writing the memory as TMX for other
tools.

TMX is read and written with translate-toolkit's `tmx` storage (the library Weblate uses for
the same job), never by hand; reading PO files goes through `catalogs`. Which entries a run
fills, and the order of memory and machine translation, is `pretranslate`'s business.

Close matches are found with an inverted word index (rarest words of the message first, a
bounded number of postings) and scored with RapidFuzz's `fuzz.ratio` — the normalised
Indel similarity OmegaT and Weblate also report as a percentage — so a lookup costs a few
hundred comparisons however large the memory grows, not one per entry.
"""

from __future__ import annotations

import hashlib
import os
import string
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from translate_flow import __version__
from translate_flow.catalogs import TM_COMMENT, entry_origin, load_catalog
from translate_flow.errors import CatalogError, Problem
from translate_flow.stage import read_cache, write_cache

if TYPE_CHECKING:
    from translate_flow.config import Config

MEMORY_DIR = "memory"  # under the locale folder: TMX files from other tools
CACHE_DIR = ".translate-flow"  # pipeline.CACHE_DIR; not imported: pipeline pulls in docutils

# Fuzzy lookup: postings read per query (rarest words first) and candidates scored.
POSTINGS_BUDGET = 6000
CANDIDATES = 64
# Below this many catalogs to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 16


# Punctuation and rst markup become spaces before splitting into words: `*UNODC*,` → unodc.
_SEPARATORS = str.maketrans(dict.fromkeys(string.punctuation + "«»“”„‘’‹›–—…·•\u00a0\u202f", " "))


@dataclass(frozen=True)
class Unit:
    """One translation the memory holds: English, its translation, and where it came from."""

    source: str
    target: str
    origin: str  # the catalog or TMX file, relative to the project


@dataclass(frozen=True)
class Suggestion:
    """A translation the memory proposes for a message."""

    msgid: str  # the English the translation was made for
    msgstr: str
    similarity: float  # 100 for an exact match
    origin: str
    exact: bool
    alternatives: int = 0  # other distinct translations of the same English

    def comment(self) -> str:
        """The translator comment recording where the translation came from."""
        what = "exact match" if self.exact else f"{int(self.similarity)}% match"
        others = ""
        if self.alternatives:
            plural = "s" if self.alternatives > 1 else ""
            others = f"; {self.alternatives} other translation{plural} in memory"
        return f"{TM_COMMENT} {what} from {self.origin}{others}"


@dataclass
class _Translations:
    """The distinct translations of one English message and how often each was used."""

    targets: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    uses: list[int] = field(default_factory=list)

    def add(self, target: str, origin: str) -> None:
        if target in self.targets:
            self.uses[self.targets.index(target)] += 1
        else:
            self.targets.append(target)
            self.origins.append(origin)
            self.uses.append(1)

    def best(self) -> int:
        """The most used translation; the first seen wins a tie."""
        return max(range(len(self.targets)), key=lambda i: (self.uses[i], -i))


class TranslationMemory:
    """The reusable translations of one language, indexed for exact and close lookups."""

    def __init__(self, language: str, units: Iterable[Unit] = ()) -> None:
        self.language = language
        self._sources: list[str] = []
        self._targets: list[str] = []  # the first translation of each source
        self._origins: list[str] = []
        self._variants: dict[int, _Translations] = {}  # sources translated more than once
        self._ids: dict[str, int] = {}
        self._postings: defaultdict[str, list[int]] = defaultdict(list)
        for unit in units:
            self.add(unit)

    def add(self, unit: Unit) -> None:
        self.add_pair(unit.source, unit.target, unit.origin)

    def add_pair(self, source: str, target: str, origin: str) -> None:
        """`add` without building a `Unit`: the path a whole catalog's entries take."""
        if not source or not target:
            return
        index = self._ids.get(source)
        if index is None:
            index = len(self._sources)
            self._ids[source] = index
            self._sources.append(source)
            self._targets.append(target)
            self._origins.append(origin)
            postings = self._postings
            for word in set(words(source)):
                postings[word].append(index)
            return
        variants = self._variants.get(index)
        if variants is None:
            variants = _Translations([self._targets[index]], [self._origins[index]], [1])
            self._variants[index] = variants
        variants.add(target, origin)

    def __len__(self) -> int:
        """The number of distinct English messages."""
        return len(self._sources)

    def units(self) -> Iterator[Unit]:
        """Every distinct (English, translation) pair, the preferred translation first."""
        for index, source in enumerate(self._sources):
            translations = self._variants.get(index)
            if translations is None:
                yield Unit(source, self._targets[index], self._origins[index])
                continue
            best = translations.best()
            order = [best, *(i for i in range(len(translations.targets)) if i != best)]
            for i in order:
                yield Unit(source, translations.targets[i], translations.origins[i])

    def lookup(self, text: str, *, threshold: float) -> Suggestion | None:
        """An exact match, else the closest match at least `threshold` percent similar."""
        return self.exact(text) or self.fuzzy(text, threshold=threshold)

    def exact(self, text: str) -> Suggestion | None:
        index = self._ids.get(text)
        return None if index is None else self._suggestion(index, 100.0, exact=True)

    def fuzzy(self, text: str, *, threshold: float) -> Suggestion | None:
        """The most similar other message, if at least `threshold` percent similar."""
        candidates = self._candidates(text)
        if not candidates:
            return None
        choices = [self._sources[i] for i in candidates]
        found = process.extractOne(
            text, choices, scorer=fuzz.ratio, processor=None, score_cutoff=threshold
        )
        if found is None:
            return None
        _, score, position = found
        return self._suggestion(candidates[position], float(score), exact=False)

    def _candidates(self, text: str) -> list[int]:
        """Messages sharing the most of `text`'s rarest words, other than `text` itself."""
        lists = sorted(
            (ids for word in set(words(text)) if (ids := self._postings.get(word))), key=len
        )
        shared: Counter[int] = Counter()
        read = 0
        for ids in lists:
            if read and read + len(ids) > POSTINGS_BUDGET:
                break
            shared.update(ids)
            read += len(ids)
        shared.pop(self._ids.get(text, -1), None)
        return [index for index, _ in shared.most_common(CANDIDATES)]

    def _suggestion(self, index: int, similarity: float, *, exact: bool) -> Suggestion:
        translations = self._variants.get(index)
        if translations is None:
            target, origin, alternatives = self._targets[index], self._origins[index], 0
        else:
            best = translations.best()
            target, origin = translations.targets[best], translations.origins[best]
            alternatives = len(translations.targets) - 1
        return Suggestion(
            msgid=self._sources[index],
            msgstr=target,
            similarity=similarity,
            origin=origin,
            exact=exact,
            alternatives=alternatives,
        )


def words(text: str) -> list[str]:
    """The words of `text` for the index: case-folded, without punctuation or rst markup."""
    return text.casefold().translate(_SEPARATORS).split()


# -- the suggestion source of pretranslate ------------------------------------------------------


@dataclass(frozen=True)
class MemorySource:
    """The memory as a suggestion source for `pretranslate`, asked before machine translation."""

    memory: TranslationMemory
    threshold: float = 75.0
    exact_state: str = "fuzzy"

    def suggest(self, msgid: str) -> Suggestion | None:
        return self.memory.lookup(msgid, threshold=self.threshold)

    def reviewed(self, suggestion: Suggestion) -> bool:
        """Whether a suggestion fills its entry as reviewed (never fuzzy): exact matches only,
        and only when the project says so (`memory-exact = "reviewed"`)."""
        return suggestion.exact and self.exact_state == "reviewed"


# -- building from a project --------------------------------------------------------------------


def build_memory(
    config: Config, language: str, *, jobs: int | None = None
) -> tuple[TranslationMemory, list[Problem]]:
    """The memory of `language`: its reviewed catalog entries, then the TMX files.

    Catalogs are read newest issue first, so when two translations of the same English are
    used equally often, the more recent one is preferred. A catalog or TMX file that cannot
    be read is reported and skipped; the rest still count.
    """
    memory = TranslationMemory(language)
    problems: list[Problem] = []
    cache = _CatalogCache.load(config.root / CACHE_DIR / f"memory-{language}.json")
    paths = sorted(config.catalog_dir(language).glob("**/*.po"), reverse=True)
    for path, read in zip(paths, cache.read_all(paths, config, jobs=jobs), strict=True):
        name = config.relative(path)
        if isinstance(read, CatalogError):
            problems.append(Problem(name, read.line, "warning", f"{read.message}; not in memory"))
            continue
        add = memory.add_pair
        for source, target in read:
            add(source, target, name)
    cache.save()
    for path in tmx_files(config):
        try:
            units = read_tmx(path, language=language, source_language=config.source_language)
        except CatalogError as err:
            name = config.relative(path)
            problems.append(Problem(name, err.line, "warning", f"{err.message}; not in memory"))
            continue
        for unit in units:
            memory.add(Unit(unit.source, unit.target, config.relative(path)))
    return memory, problems


def tmx_files(config: Config) -> list[Path]:
    return sorted((config.locale_dir / MEMORY_DIR).glob("*.tmx"))


def reviewed_pairs(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every reviewed entry of a catalog, obsolete ones included."""
    po = load_catalog(path)
    return [
        (entry.msgid, entry.msgstr)
        for entry in po
        if not entry.msgid_plural and entry_origin(entry) == "reviewed"
    ]


Pairs = list[tuple[str, str]]


def _read_catalog(path: Path) -> Pairs | tuple[str, int | None]:
    """`reviewed_pairs`, with a failure as (message, line): it crosses process boundaries."""
    try:
        return reviewed_pairs(path)
    except CatalogError as err:
        return (err.message, err.line)


class _CatalogCache:
    """The reviewed pairs of each catalog at its last reading, keyed by the file's digest.

    Parsing PO files is the slow part of building a memory (polib reads ~10,000 entries a
    second on one core): a catalog unchanged since the last build is not parsed again, and
    many changed ones are parsed on all cores.
    """

    def __init__(self, path: Path, files: dict[str, Any]) -> None:
        self.path = path
        self.files = files
        self.changed = False

    @classmethod
    def load(cls, path: Path) -> _CatalogCache:
        files = read_cache(path).get("files")
        return cls(path, files if isinstance(files, dict) else {})

    def read_all(
        self, paths: list[Path], config: Config, *, jobs: int | None
    ) -> list[Pairs | CatalogError]:
        """The reviewed pairs of each catalog, or why it cannot be read, in order."""
        names = [config.relative(path) for path in paths]
        digests: list[str | CatalogError] = []
        for path, name in zip(paths, names, strict=True):
            try:
                digests.append(hashlib.sha1(path.read_bytes()).hexdigest())
            except OSError as err:
                digests.append(CatalogError(f"cannot read: {err.strerror}", path=name))
        stale = [
            path
            for path, name, digest in zip(paths, names, digests, strict=True)
            if isinstance(digest, str) and self._cached(name, digest) is None
        ]
        parsed = dict(zip(stale, _parse_all(stale, jobs), strict=True))
        results: list[Pairs | CatalogError] = []
        old, self.files = self.files, {}
        self.changed = self.changed or set(old) != set(names)
        for path, name, digest in zip(paths, names, digests, strict=True):
            if isinstance(digest, CatalogError):
                results.append(digest)
                continue
            cached = self._cached(name, digest, files=old)
            read = cached if cached is not None else parsed[path]
            if isinstance(read, tuple):
                message, line = read
                results.append(CatalogError(message, path=name, line=line))
                continue
            self.files[name] = {"digest": digest, "pairs": read}
            self.changed = self.changed or cached is None
            results.append(read)
        return results

    def _cached(
        self, name: str, digest: str, *, files: dict[str, Any] | None = None
    ) -> Pairs | None:
        entry = (self.files if files is None else files).get(name)
        if isinstance(entry, dict) and entry.get("digest") == digest:
            pairs: Pairs = entry["pairs"]  # [msgid, msgstr] lists, as JSON keeps them
            return pairs
        return None

    def save(self) -> None:
        if self.changed:
            write_cache(self.path, {"files": self.files})


def _parse_all(paths: list[Path], jobs: int | None) -> list[Pairs | tuple[str, int | None]]:
    workers = jobs or os.cpu_count() or 1
    if workers > 1 and len(paths) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_read_catalog, paths, chunksize=8))
    return [_read_catalog(path) for path in paths]


# -- TMX ------------------------------------------------------------------------------------------


def read_tmx(path: Path, *, language: str, source_language: str) -> list[Unit]:
    """The `source_language` → `language` pairs of a TMX file (TMX 1.1 to 1.4).

    Languages match on their primary subtag (`ru-RU` is `ru`), except that a variant in
    another script than the project's is skipped (`uz-Cyrl` is not `uz` written in Latin).
    """
    from lxml import etree
    from translate.storage import tmx

    try:
        with path.open("rb") as stream:
            store = tmx.tmxfile(stream)
    except OSError as err:
        raise CatalogError(f"cannot read: {err.strerror}", path=path) from err
    except etree.XMLSyntaxError as err:
        raise CatalogError(f"not valid XML: {err.msg}", path=path, line=err.lineno) from err
    except AssertionError as err:  # translate-toolkit's check of the root element
        raise CatalogError("not a TMX file (its root element is not <tmx>)", path=path) from err
    units = []
    name = path.as_posix()
    for unit in store.units:
        texts: dict[str, str] = {}
        for node in unit.getlanguageNodes():
            code = _tuv_language(node)
            text = unit.getNodeText(node)
            if code and text and code not in texts:
                texts[code] = text
        source = _pick(texts, source_language)
        target = _pick(texts, language)
        if source and target:
            units.append(Unit(source, target, name))
    return units


def _tuv_language(node: Any) -> str | None:
    """`xml:lang` (TMX 1.4) or `lang` (TMX 1.1, still written by OmegaT)."""
    value = node.get("{http://www.w3.org/XML/1998/namespace}lang") or node.get("lang")
    return str(value) if value else None


def _pick(texts: dict[str, str], language: str) -> str | None:
    for code, text in texts.items():
        if _same_language(code, language):
            return text
    return None


def _same_language(code: str, language: str) -> bool:
    from babel import Locale, UnknownLocaleError

    tags = code.replace("_", "-").split("-")
    if tags[0].casefold() != language.casefold():
        return False
    scripts = [tag.title() for tag in tags[1:] if len(tag) == 4 and tag.isalpha()]
    if not scripts:
        return True
    try:
        expected = Locale.parse(language).script or _likely_script(language)
    except (UnknownLocaleError, ValueError):
        return True
    return expected is None or scripts[0] == expected


def _likely_script(language: str) -> str | None:
    from babel.core import get_global

    likely = str(get_global("likely_subtags").get(language, ""))
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 and len(parts[1]) == 4 else None


def export_tmx(memory: TranslationMemory, *, source_language: str) -> str:
    """The memory as a TMX 1.4 document: one unit per (English, translation) pair.

    Units come in a stable order (English alphabetical, the preferred translation first) and
    carry their origin as a note, so exporting an unchanged memory gives identical bytes.
    """
    from translate.storage import tmx

    store = tmx.tmxfile(sourcelanguage=source_language)
    store.addheader()
    header = store.document.getroot().find("header")
    header.set("creationtool", "translate-flow")
    header.set("creationtoolversion", __version__)
    header.set("segtype", "paragraph")
    for unit in sorted(memory.units(), key=lambda unit: unit.source):
        store.addtranslation(
            unit.source, source_language, unit.target, memory.language, comment=unit.origin
        )
    data: bytes = bytes(store)
    return data.decode("utf-8")
