"""Benchmark the strict catalog reader (`catalogs.parse_catalog`) over a project's catalogs.

    PYTHONPATH=src python bench/read.py PROJECT [--repeat 3]

PROJECT is a project directory with catalogs, e.g. one built by `python bench/archive.py`
and `translate-flow update` (1,000 articles × 6 languages). Reads every PO and POT file
into memory, then times in one process, as CPU time (best of `--repeat`): parse_catalog over
all PO files, over all POT files, and over the PO files again with the line-by-line reader
only (the fallback for files not in GNU's layout), to show what the fast path saves.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from translate_flow import po_validate
from translate_flow.catalogs import parse_catalog


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    locale = args.project / "locale"
    po_files = [(p, p.read_bytes()) for p in sorted(locale.rglob("*.po"))]
    pot_files = [(p, p.read_bytes()) for p in sorted(locale.rglob("*.pot"))]
    entries = sum(len(parse_catalog(data, path=path)) for path, data in po_files)
    print(f"{len(po_files)} PO files ({entries} entries), {len(pot_files)} POT files")
    po_time = _best(lambda: _parse_all(po_files), args.repeat)
    print(f"parse_catalog, PO:                {po_time:6.2f} s CPU")
    pot_time = _best(lambda: _parse_all(pot_files), args.repeat)
    print(f"parse_catalog, POT:               {pot_time:6.2f} s CPU")
    with mock.patch.object(po_validate, "_read_canonical", return_value=None):
        lines_time = _best(lambda: _parse_all(po_files), args.repeat)
    print(f"parse_catalog, PO, line reader:   {lines_time:6.2f} s CPU")
    print(f"fast path speed-up: {lines_time / po_time:.1f}x")
    return 0


def _parse_all(files: list[tuple[Path, bytes]]) -> None:
    for path, data in files:
        parse_catalog(data, path=path)


def _best(run: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times)


if __name__ == "__main__":
    raise SystemExit(main())
