"""Machine translation engines.

Owns running translation: the `Translator` protocol, the Argos engine that runs a package
directly with CTranslate2 and SentencePiece (imported lazily, so `translate-flow --help`
stays instant), chaining two engines for a pivot route, and the translation cache. Which
packages exist and how they are laid out is `models.py`'s business; what a text looks like
before and after (markup placeholders) is `masking.py`'s; which entries get translated is
`pretranslate.py`'s.

The Argos engine gives, for the same decoding settings, the strings
`argostranslate.translate.translate()` gives — same line split, same sentence splitter and
model, same SentencePiece pieces, same `translate_batch` options, same post-processing
(including its `_`→space quirk; `masking` protects underscores). It differs in how the work
is scheduled: argostranslate decodes one line at a time with ~1 sentence per batch; here every
distinct sentence of the whole run goes into one length-sorted `translate_batch` stream on
one-thread replicas — about 10x faster on 2 cores (`bench/mt.py`). One deliberate deviation:
a package with a `target_prefix` has the prefix *token* removed from each hypothesis, where
argostranslate leaves pieces of it in the text when the prefix contains `_`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from translate_flow.errors import EngineError
from translate_flow.models import Package, Route

# (done, total): called as sentences come back, for progress bars.
Progress = Callable[[int, int], None]

# argostranslate's fixed decoding options (translate.py, apply_packaged_translation).
LENGTH_PENALTY = 0.2
# Best measured on 2 cores (research/mt-engine.md §3): one-thread replicas, 32 sentences per
# batch. Bigger batches buy little speed for a lot of memory (beam state grows with them).
MAX_BATCH_SIZE = 32
_NEEDS_MT_EXTRA = "machine translation needs the `mt` extra: pip install 'translate-flow[mt]' ({})"


class Translator(Protocol):
    """Translates texts (one msgid each, possibly several lines) from one language to another."""

    @property
    def route(self) -> Route: ...

    def translate(self, texts: Sequence[str], *, progress: Progress | None = None) -> list[str]:
        """One translation per text, in order."""
        ...


@dataclass
class Counters:
    """What an engine actually computed, for summaries and for tests of the cache."""

    texts: int = 0
    sentences: int = 0


class ArgosEngine:
    """One Argos package, run directly. The model loads on the first `translate()` call."""

    def __init__(
        self,
        package: Package,
        *,
        beam_size: int = 4,
        inter_threads: int | None = None,
        intra_threads: int = 1,
    ) -> None:
        self.package = package
        self.beam_size = beam_size
        self.inter_threads = inter_threads or default_replicas()
        self.intra_threads = intra_threads
        self.counters = Counters()
        self._translator: Any = None
        self._tokenizer: Any = None
        self._splitter: Callable[[str], list[str]] | None = None

    @property
    def route(self) -> Route:
        return Route((self.package,))

    @property
    def cache_key(self) -> str:
        """What a cached translation depends on: the package and the decoding settings."""
        return f"{self.package.name} {self.package.package_version} beam={self.beam_size}"

    def load(self) -> None:
        """Load the model, tokenizer and splitter; EngineError names the broken file."""
        if self._translator is not None:
            return
        package = self.package
        try:
            import ctranslate2
            import sentencepiece
        except ImportError as err:
            raise EngineError(_NEEDS_MT_EXTRA.format(err)) from err
        try:
            tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.tokenizer))
        except (OSError, RuntimeError) as err:
            raise EngineError(
                f"cannot load the SentencePiece model: {err}", path=package.tokenizer
            ) from err
        self._splitter = _load_splitter(package)
        try:
            self._translator = ctranslate2.Translator(
                str(package.model_dir),
                device="cpu",
                compute_type="auto",
                inter_threads=self.inter_threads,
                intra_threads=self.intra_threads,
            )
        except (OSError, RuntimeError, ValueError) as err:
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise EngineError(
                f"cannot load the CTranslate2 model: {reason}", path=package.model_dir / "model.bin"
            ) from err
        self._tokenizer = tokenizer

    def translate(self, texts: Sequence[str], *, progress: Progress | None = None) -> list[str]:
        if not texts:
            return []
        self.load()
        assert self._splitter is not None
        # Lines → sentences → pieces; identical sentences are translated once.
        layout: list[list[list[int]]] = []  # text → line → sentence ids
        sentence_ids: dict[tuple[str, ...], int] = {}
        for text in texts:
            lines = []
            for line in text.split("\n"):
                ids = []
                for sentence in self._splitter(line):
                    pieces = tuple(self._tokenizer.encode(sentence, out_type=str))
                    ids.append(sentence_ids.setdefault(pieces, len(sentence_ids)))
                lines.append(ids)
            layout.append(lines)
        outputs = self._translate_sentences(list(sentence_ids), progress)
        self.counters.texts += len(texts)
        self.counters.sentences += len(sentence_ids)
        return [
            "\n".join(self._detokenize([outputs[i] for i in line]) for line in lines).lstrip("\n")
            for lines in layout
        ]

    def _translate_sentences(
        self, sentences: list[tuple[str, ...]], progress: Progress | None
    ) -> list[list[str]]:
        """Every sentence in one length-sorted, asynchronous `translate_batch` stream."""
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        prefix = self.package.target_prefix
        try:
            pending = self._translator.translate_batch(
                [list(sentences[i]) for i in order],
                target_prefix=[[prefix]] * len(order) if prefix else None,
                beam_size=self.beam_size,
                num_hypotheses=1,
                length_penalty=LENGTH_PENALTY,
                replace_unknowns=True,
                max_batch_size=MAX_BATCH_SIZE,
                batch_type="examples",
                asynchronous=True,
            )
            results: list[list[str]] = [[] for _ in sentences]
            for done, (index, future) in enumerate(zip(order, pending, strict=True), 1):
                hypothesis = list(future.result().hypotheses[0])
                if prefix and hypothesis[:1] == [prefix]:
                    hypothesis = hypothesis[1:]
                results[index] = hypothesis
                if progress is not None:
                    progress(done, len(order))
        except RuntimeError as err:
            raise EngineError(f"translation failed: {err}", path=self.package.path) from err
        return results

    def _detokenize(self, pieces: list[list[str]]) -> str:
        """argostranslate's post-processing of one line."""
        value: str = self._tokenizer.decode_pieces([p for sentence in pieces for p in sentence])
        value = value.replace("▁", " ").replace("_", " ")
        prefix = self.package.target_prefix
        if prefix and value.startswith(prefix):
            value = value[len(prefix) :]
        return value[1:] if value.startswith(" ") else value


def default_replicas() -> int:
    """One single-threaded replica per core, at most 8: measured fastest for batch work."""
    return max(1, min(os.cpu_count() or 1, 8))


def _load_splitter(package: Package) -> Callable[[str], list[str]]:
    """The sentence splitter argostranslate would use for `package`."""
    splitter = package.splitter
    if splitter is None:
        raise EngineError(
            f"no sentence splitter for {package.from_code!r}: the package ships none and "
            f"argostranslate's MiniSBD model for it was never downloaded; run argostranslate "
            f"once with network access, or use a package that includes minisbd/",
            path=package.path,
        )
    if splitter.kind == "stanza":
        try:
            import stanza
        except ImportError as err:
            raise EngineError(
                "this package splits sentences with Stanza: pip install 'translate-flow[argos]'",
                path=splitter.path,
            ) from err
        language = {"zt": "zh-hant", "pb": "pt"}.get(package.from_code, package.from_code)
        pipeline = stanza.Pipeline(
            lang=language,
            dir=str(splitter.path),
            processors="tokenize",
            use_gpu=False,
            logging_level="WARNING",
        )
        return lambda line: [s.text for s in pipeline(line).sentences]
    try:
        from minisbd import SBDetect
    except ImportError as err:
        raise EngineError(_NEEDS_MT_EXTRA.format(err)) from err
    try:
        detector = SBDetect(str(splitter.path), use_gpu=False)
    except Exception as err:  # onnxruntime raises its own exception types
        raise EngineError(f"cannot load the sentence splitter: {err}", path=splitter.path) from err
    return lambda line: list(detector.sentences(line)) if line.strip() else []


# -- cache and chains ------------------------------------------------------------------------


class TranslationCache:
    """Translations by (engine key, source text), in one SQLite file under the project.

    A re-extracted or moved paragraph is found again; a new package version or another beam
    size is a new key. Written once per run, after the translations succeeded.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS translation ("
                "engine TEXT, source TEXT, target TEXT, PRIMARY KEY (engine, source))"
            )
        return self._db

    def lookup(self, engine: str, sources: Sequence[str]) -> dict[str, str]:
        db = self._connect()
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(sources))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT source, target FROM translation WHERE engine = ? AND source IN ({marks})",
                [engine, *chunk],
            )
            found.update(rows)
        return found

    def store(self, engine: str, pairs: dict[str, str]) -> None:
        db = self._connect()
        with db:
            db.executemany(
                "INSERT OR REPLACE INTO translation VALUES (?, ?, ?)",
                [(engine, source, target) for source, target in pairs.items()],
            )

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


@dataclass
class CachedEngine:
    """An engine behind the cache: only texts never translated before reach the model."""

    engine: ArgosEngine
    cache: TranslationCache
    hits: int = field(default=0)

    @property
    def route(self) -> Route:
        return self.engine.route

    def translate(self, texts: Sequence[str], *, progress: Progress | None = None) -> list[str]:
        known = self.cache.lookup(self.engine.cache_key, texts)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        self.hits += len(texts) - sum(1 for t in texts if t not in known)
        if missing:
            fresh = dict(
                zip(missing, self.engine.translate(missing, progress=progress), strict=True)
            )
            self.cache.store(self.engine.cache_key, fresh)
            known.update(fresh)
        return [known[text] for text in texts]


@dataclass
class Chain:
    """Two or more translators applied in turn (en→ru→ky), as argostranslate pivots."""

    steps: list[CachedEngine]

    @property
    def route(self) -> Route:
        return Route(tuple(p for step in self.steps for p in step.route.packages))

    def translate(self, texts: Sequence[str], *, progress: Progress | None = None) -> list[str]:
        current = list(texts)
        for number, step in enumerate(self.steps):
            report = _scaled(progress, number, len(self.steps)) if progress else None
            current = step.translate(current, progress=report)
        return current


def _scaled(progress: Progress, step: int, steps: int) -> Progress:
    """Map one step's (done, total) onto the whole chain's."""
    return lambda done, total: progress(step * total + done, steps * total)


def engine_for(route: Route, *, cache: TranslationCache, beam_size: int) -> CachedEngine | Chain:
    """The translator serving `route`, behind the cache."""
    steps = [CachedEngine(ArgosEngine(p, beam_size=beam_size), cache) for p in route.packages]
    return steps[0] if len(steps) == 1 else Chain(steps)
