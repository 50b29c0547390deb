"""Benchmark `translate-flow build` against docutils' own HTML render of the same articles.

Prints, in one run on the synthetic archive (bench/archive.py) in 6 languages: the time
docutils alone needs to render every English article to HTML (`publish_parts`, html5), the
time of a full build (English + 6 languages, all cores), articles-languages per second, the
ratio per edition (build time / 7 editions / docutils time), and a second build with nothing
changed (a fresh process, as a user runs it).

Every language gets a pseudo-translation of every message (each word marked with a letter of
its own per language, markup kept), so the localizing transform and the publication gate run
on every message of every edition.

Targets (issue 5): at most 1.5x the plain docutils render per edition; the no-op under 2 s.

    .venv/bin/python bench/build.py [--articles 1000]
"""

from __future__ import annotations

import argparse
import re
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
from translate_flow.catalogs import load_catalog
from translate_flow.config import load_config
from translate_flow.render import settings_for

_MARKUP = re.compile(r"(``.+?``|`[^`]+`_{0,2}|\|[^|]+\||\[[^\]]+\]_|:[\w.+-]+:|https?://\S+)")


# A different mark per language, so no two languages share a msgstr: the build caches the
# verdict on each distinct (msgid, msgstr), and real catalogs differ between languages.
MARKS = {"ru": "Ы", "kk": "Ә", "ky": "Ң", "tg": "Ҷ", "uz": "Oʻ", "tk": "Ň"}


def pseudo(msgid: str, mark: str = "Ы") -> str:
    parts = _MARKUP.split(msgid)
    return "".join(
        p if i % 2 else re.sub(r"[A-Za-z]+", mark + r"\g<0>", p) for i, p in enumerate(parts)
    )


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the build's workers)."""
    return _own_cpu() + _children_cpu()


def _own_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _children_cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        articles = write_archive(root, articles=args.articles)
        config = load_config(root)
        pipeline.extract(config)
        for lang in config.languages:
            for pot_path in sorted(config.templates_dir.glob("*/*.pot")):
                po = load_catalog(pot_path)
                for entry in po:
                    entry.msgstr = pseudo(entry.msgid, MARKS.get(lang, lang))
                target = config.po_path(lang, pot_path.parent.name, pot_path.stem)
                target.parent.mkdir(parents=True, exist_ok=True)
                po.save(str(target))
        editions = 1 + len(config.languages)

        start, cpu_start = time.perf_counter(), _cpu()
        for path in articles:
            docutils.core.publish_parts(
                path.read_text(encoding="utf-8"),
                source_path=str(path),
                writer="html5",
                settings_overrides=settings_for("en"),
            )
        plain, plain_cpu = time.perf_counter() - start, _cpu() - cpu_start

        start, cpu_start, main_start = time.perf_counter(), _cpu(), _own_cpu()
        result = pipeline.build(config)
        full, cpu = time.perf_counter() - start, _cpu() - cpu_start
        main_cpu = _own_cpu() - main_start
        errors = [p for p in result.problems if p.level == "error"]

        start, noop_start = time.perf_counter(), _children_cpu()
        subprocess.run(
            [str(Path(sys.executable).parent / "translate-flow"), "build", "--project", str(root)],
            check=True,
            capture_output=True,
        )
        noop, noop_cpu = time.perf_counter() - start, _children_cpu() - noop_start
        shutil.rmtree(root / "output", ignore_errors=True)

    count = len(articles)
    print(f"articles: {count}, editions per issue: {editions} (en + {editions - 1} languages)")
    print(f"docutils render, English, one core:  {plain:7.2f} s  ({count / plain:6.1f} art/s)")
    print(
        f"build, all editions, all cores:      {full:7.2f} s  "
        f"({count * editions / full:6.1f} article-languages/s), {len(errors)} errors"
    )
    print(f"ratio per edition (build / {editions} / docutils): {full / editions / plain:5.2f}x")
    print(
        f"CPU time: docutils {plain_cpu:.2f} s, build {cpu:.2f} s (all processes); "
        f"ratio per edition {cpu / editions / plain_cpu:5.2f}x (fairer on a shared machine); "
        f"main process {main_cpu:.2f} s"
    )
    print(
        f"second build, nothing changed:        {noop:7.2f} s  "
        f"(fresh process, {noop_cpu:.2f} s CPU)"
    )


if __name__ == "__main__":
    main()
