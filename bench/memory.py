"""Benchmark: a translation memory of 100,000 entries.

    .venv/bin/python bench/memory.py [--entries 100000] [--queries 2000]

Prints the time to index 100,000 (English, Russian) units, to build the same memory from
500 PO catalogs on disk (cold: every catalog parsed by polib; warm: the digest cache of
unchanged catalogs), exact and fuzzy lookups per second, how often the indexed fuzzy lookup
finds what a full RapidFuzz scan finds, and the peak resident memory.

The English is synthetic but shaped like an archive of newsletters: sentences of 4 to 45
words drawn with Zipf's law (frequency ∝ 1/rank) from a 50,000-word vocabulary whose most
frequent words are those of the sample issue, so common words are very common and most words
are rare, as in real text. Fuzzy queries are memory entries with about one word in ten
replaced (a typical edit: a name, a number, a phrase) plus 25% unrelated sentences that
have no match. Targets (issue 7): built in under 5 s; a fuzzy lookup under 5 ms on average.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import polib
from rapidfuzz import fuzz, process

from translate_flow.config import load_config
from translate_flow.memory import TranslationMemory, Unit, build_memory

REPO = Path(__file__).resolve().parent.parent
VOCABULARY = 50_000
CATALOGS = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2_000)
    args = parser.parse_args()
    text = _Text(random.Random(1))
    sources = list(dict.fromkeys(text.sentence() for _ in range(args.entries)))
    units = [Unit(s, _pseudo_russian(s), f"c{i % CATALOGS}.po") for i, s in enumerate(sources)]
    print(f"memory of {len(units):,} units, {VOCABULARY:,}-word vocabulary")

    started, cpu = time.perf_counter(), time.process_time()
    memory = TranslationMemory("ru", units)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"index built from units:    {wall:6.2f} s ({cpu:.2f} s of CPU)")

    with tempfile.TemporaryDirectory() as folder:
        root = _project(Path(folder), units)
        config = load_config(root)
        started = time.perf_counter()
        cold, _ = build_memory(config, "ru")
        print(f"built from {CATALOGS} catalogs, cold: {time.perf_counter() - started:6.2f} s")
        started = time.perf_counter()
        warm, _ = build_memory(config, "ru")
        print(f"built from {CATALOGS} catalogs, warm: {time.perf_counter() - started:6.2f} s")
        assert len(cold) == len(warm) == len(memory)

    rng = random.Random(2)
    exact = [rng.choice(sources) for _ in range(args.queries)]
    started = time.perf_counter()
    assert all(memory.exact(query) for query in exact)
    elapsed = time.perf_counter() - started
    print(f"exact lookups:             {len(exact) / elapsed:10,.0f} /s")

    close = [text.mutate(rng.choice(sources)) for _ in range(args.queries * 3 // 4)]
    fresh = [text.sentence() for _ in range(args.queries - len(close))]
    queries = close + fresh
    rng.shuffle(queries)
    started, cpu = time.perf_counter(), time.process_time()
    found = [memory.fuzzy(query, threshold=75) for query in queries]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    hits = sum(1 for suggestion in found if suggestion)
    print(
        f"fuzzy lookups:             {len(queries) / elapsed:10,.0f} /s "
        f"({elapsed / len(queries) * 1000:.2f} ms each, {cpu / len(queries) * 1000:.2f} ms of "
        f"CPU; {hits} of {len(queries)} matched ≥ 75%)"
    )

    sample = queries[:100]
    agree = 0
    started = time.perf_counter()
    for query, suggestion in zip(sample, found, strict=False):
        # A close match is another message: the scan leaves out the query itself too.
        ranked = process.extract(query, sources, scorer=fuzz.ratio, score_cutoff=75, limit=2)
        best = next((hit for hit in ranked if hit[0] != query), None)
        if (best is None and suggestion is None) or (
            best is not None and suggestion is not None and best[1] == suggestion.similarity
        ):
            agree += 1
    scan = (time.perf_counter() - started) / len(sample) * 1000
    print(f"index agrees with a full scan on {agree} of {len(sample)} (a scan takes {scan:.0f} ms)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory:               {peak:8.0f} MiB (whole process, PO catalogs included)")
    del memory, cold, warm
    tracemalloc.start()
    again = TranslationMemory("ru", units)
    size = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"the memory itself:         {size:8.0f} MiB (index and strings, {len(again):,} units)")


class _Text:
    """Newsletter-like English: Zipf-distributed words, sample-issue words most frequent."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        sample = " ".join(p.read_text(encoding="utf-8") for p in (REPO / "source").rglob("*.rst"))
        ranked = [w for w, _ in Counter(re.findall(r"[A-Za-z][A-Za-z'-]*", sample)).most_common()]
        letters = "abcdefghijklmnopqrstuvwxyz"
        invented = set()
        while len(ranked) + len(invented) < VOCABULARY:
            invented.add("".join(rng.choice(letters) for _ in range(rng.randint(4, 11))))
        self.vocabulary = ranked + sorted(invented - set(ranked))
        self.weights = list(
            itertools.accumulate(1.0 / (rank + 1) for rank in range(len(self.vocabulary)))
        )

    def sentence(self) -> str:
        words = self.rng.choices(
            self.vocabulary, cum_weights=self.weights, k=self.rng.randint(4, 45)
        )
        return " ".join(words).capitalize() + "."

    def mutate(self, sentence: str) -> str:
        """`sentence` with about one word in ten replaced (at least one)."""
        words = sentence.split()
        changed = [i for i in range(len(words)) if self.rng.random() < 0.1]
        for i in changed or [self.rng.randrange(len(words))]:
            words[i] = self.rng.choices(self.vocabulary, cum_weights=self.weights)[0]
        return " ".join(words)


def _pseudo_russian(text: str) -> str:
    return text.translate(str.maketrans("aeiouy", "аеиоуы"))


def _project(root: Path, units: list[Unit]) -> Path:
    (root / "pyproject.toml").write_text(
        '[tool.translate-flow]\nlanguages = ["ru"]\n', encoding="utf-8"
    )
    catalogs: list[polib.POFile] = [polib.POFile() for _ in range(CATALOGS)]
    for i, unit in enumerate(units):
        catalogs[i % CATALOGS].append(polib.POEntry(msgid=unit.source, msgstr=unit.target))
    for i, po in enumerate(catalogs):
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        path = root / "locale" / "ru" / "LC_MESSAGES" / f"{2000 + i // 20}-01" / f"a{i}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(path))
    return root


if __name__ == "__main__":
    sys.exit(main())
