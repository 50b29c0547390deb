"""Benchmark `translate-flow extract` against docutils' own parse of the same articles.

Prints, in one run on a synthetic archive (bench/archive.py): the time docutils alone needs
to parse every article (`publish_doctree`, one core), the time of a full extract on one core
and on all cores, their ratios, a second extract with nothing to do (a fresh process, as a
user runs it), the cost per article at 100 and at 1,000 articles, and peak memory.

Targets (issue 2): extract ≤ 1.3x the parse on one core, < 0.7x with both cores, the no-op
run under 1 s, cost linear in the number of articles.

    .venv/bin/python bench/extract.py [--articles 1000]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docutils.core
from archive import write_archive

from translate_flow import pipeline
from translate_flow.config import load_config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        root = Path(tmp) / "archive"
        paths = write_archive(root, articles=args.articles)
        print(f"archive: {len(paths)} articles, {_words(paths):,} words")
        parse_wall, parse_cpu = _docutils_parse(paths)
        print(f"docutils publish_doctree, 1 core: {parse_wall:6.2f} s wall, {parse_cpu:6.2f} s CPU")
        one_wall, one_cpu = _extract(root, jobs=1)
        print(
            f"extract, 1 core:                  {one_wall:6.2f} s wall, {one_cpu:6.2f} s CPU"
            f"  → {one_wall / parse_wall:.2f}x wall, {one_cpu / parse_cpu:.2f}x CPU (target ≤ 1.3x)"
        )
        all_wall, _ = _extract(root, jobs=None)
        print(
            f"extract, all cores:               {all_wall:6.2f} s wall"
            f"  → {all_wall / parse_wall:.2f}x (target < 0.7x)"
        )
        noop = _noop(root)
        print(f"second extract, nothing changed:  {noop:6.2f} s wall, fresh process (target < 1 s)")
        small = Path(tmp) / "small"
        count = max(args.articles // 10, 1)
        small_paths = write_archive(small, articles=count)
        _, small_parse = _docutils_parse(small_paths)
        _, small_cpu = _extract(small, jobs=1)
        print(
            f"cost per article, 1 core CPU:     {small_cpu / count * 1000:.1f} ms at {count} "
            f"({small_cpu / small_parse:.2f}x parse), {one_cpu / args.articles * 1000:.1f} ms "
            f"at {args.articles} ({one_cpu / parse_cpu:.2f}x parse): linear when the ratios match"
        )
        peak = max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        print(f"peak memory (largest process):    {peak / 1024:.0f} MiB")


def _words(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in paths)


def _docutils_parse(paths: list[Path]) -> tuple[float, float]:
    settings = {"report_level": 5, "halt_level": 5, "warning_stream": False}
    wall, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        docutils.core.publish_doctree(
            path.read_text(encoding="utf-8"), source_path=str(path), settings_overrides=settings
        )
    return time.perf_counter() - wall, time.process_time() - cpu


def _extract(root: Path, *, jobs: int | None) -> tuple[float, float]:
    shutil.rmtree(root / "locale", ignore_errors=True)
    shutil.rmtree(root / pipeline.CACHE_DIR, ignore_errors=True)
    config = load_config(root)
    wall, cpu = time.perf_counter(), time.process_time()
    result = pipeline.extract(config, jobs=jobs)
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    assert not [p for p in result.problems if p.level == "error"], result.problems[:3]
    return elapsed


def _noop(root: Path) -> float:
    command = [sys.executable, "-m", "translate_flow", "extract", "--project", str(root)]
    wall = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - wall
    assert done.returncode == 0 and "0 written" in done.stdout, done.stdout + done.stderr
    return elapsed


if __name__ == "__main__":
    main()
