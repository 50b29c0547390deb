"""Benchmark the PO writer (`catalogs.render`, GNU msgmerge's exact layout) on 6,000 catalogs.

Reads every catalog of a project once (`--project`, whose catalogs `update` wrote; without
it, builds the archive of bench/check.py in a temporary directory), then times in one
process, in CPU time, best of 3, with the writer's caches emptied before each run:
rendering every catalog in path order (a msgid repeats in the 6 languages, so later
languages hit the cache as `update` and `check` do), and rendering one language alone
(cold). Fails if any rendered catalog differs by one byte from the file it was read from.

    .venv/bin/python bench/render.py [--project DIR] [--articles 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import polib
from archive import write_archive
from check import _write_catalogs

from translate_flow import catalogs, pipeline, po_write
from translate_flow.config import load_config

CACHES = [po_write.wrap, po_write._continued, po_write._word, po_write._first_word]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, help="a project with canonical catalogs")
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    if args.project:
        return _bench(args.project)
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        root = Path(tmp) / "archive"
        write_archive(root, articles=args.articles)
        config = load_config(root)
        pipeline.extract(config)
        _write_catalogs(root)
        pipeline.update(config)
        return _bench(root)


def _bench(root: Path) -> int:
    paths = sorted((root / "locale").glob("*/LC_MESSAGES/*/*.po"))
    files = {path: path.read_bytes() for path in paths}
    parsed = {path: catalogs.parse_catalog(data, path=path) for path, data in files.items()}
    different = [path for path, po in parsed.items() if catalogs.render(po).encode() != files[path]]
    if different:
        print(f"{len(different)} catalogs render differently, first: {different[0]}")
        return 1
    entries = sum(len(po) for po in parsed.values())
    print(f"{len(paths)} catalogs, {entries:,} entries, every one rendered byte for byte")
    every = _best_of_3(list(parsed.values()))
    print(f"render, every catalog:            {every:6.2f} s CPU (target ≤ 4 s for 6,000)")
    language = paths[0].parts[-4]
    alone = [po for path, po in parsed.items() if path.parts[-4] == language]
    cold = _best_of_3(alone)
    print(f"render, {len(alone)} catalogs of {language} only: {cold:6.2f} s CPU")
    return 0


def _best_of_3(pos: list[polib.POFile]) -> float:
    times = []
    for _ in range(3):
        for cache in CACHES:
            cache.cache_clear()
        started = time.process_time()
        for po in pos:
            catalogs.render(po)
        times.append(time.process_time() - started)
    return min(times)


if __name__ == "__main__":
    sys.exit(main())
