"""Benchmark `translate-flow update` against GNU `msgmerge --previous` on the same files.

    python bench/update.py [--articles 1000]

Builds the synthetic archive (bench/archive.py: 1,000 articles × 6 languages = 6,000
catalogs), translates half of the entries, edits 5% of the paragraphs, re-extracts, then
times in one run: `translate-flow update` over the whole archive, GNU `msgmerge --previous`
over copies of the very same catalogs (one process per catalog, as a Makefile would run
it), and a second `translate-flow update` with nothing to do. Prints the times and ratios.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archive import edit_archive, write_archive

TOOL = [sys.executable, "-m", "translate_flow"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()
    msgmerge = shutil.which("msgmerge")
    root = Path(tempfile.mkdtemp(prefix="tf-bench-update-"))
    try:
        _prepare(root, args.articles)
        locale = root / "locale"
        shutil.copytree(locale, root / "gnu-locale")
        ours = _timed(lambda: _run([*TOOL, "update", "--project", str(root)]))
        catalogs = sorted((root / "gnu-locale").glob("*/LC_MESSAGES/*/*.po"))
        print(f"catalogs: {len(catalogs)}")
        print(f"translate-flow update:        {ours:7.2f} s")
        if msgmerge:
            gnu = _timed(lambda: _msgmerge_all(msgmerge, root, catalogs))
            print(f"msgmerge --previous (serial): {gnu:7.2f} s")
            print(f"ratio translate-flow / msgmerge: {ours / gnu:.2f}")
        else:
            print("msgmerge: not installed (apt-get install gettext); no comparison")
        again = _timed(lambda: _run([*TOOL, "update", "--project", str(root)]))
        print(f"no-change update:             {again:7.2f} s (target < 2 s)")
    finally:
        if args.keep:
            print(f"project kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def _prepare(root: Path, articles: int) -> None:
    started = time.perf_counter()
    write_archive(root, articles=articles)
    _run([*TOOL, "extract", "--project", str(root)])
    _run([*TOOL, "update", "--project", str(root)])
    for path in sorted((root / "locale").glob("*/LC_MESSAGES/*/*.po")):
        path.write_text(_translate_half(path.read_text(encoding="utf-8")), encoding="utf-8")
    _run([*TOOL, "update", "--project", str(root)])  # the translated state, cached
    edited = edit_archive(root, fraction=0.05)
    _run([*TOOL, "extract", "--project", str(root)])
    print(f"prepared in {time.perf_counter() - started:.1f} s: {edited} paragraphs edited")


_EMPTY = re.compile(r'^msgstr ""\n(?=\n|\Z)', re.MULTILINE)


def _translate_half(text: str) -> str:
    """Fill every other empty msgstr (the header's is never empty-then-blank)."""
    count = 0

    def fill(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f'msgstr "Перевод абзаца {count}."\n' if count % 2 else match.group(0)

    return _EMPTY.sub(fill, text)


def _msgmerge_all(msgmerge: str, root: Path, catalogs: list[Path]) -> None:
    for po in catalogs:
        issue, article = po.parent.name, po.stem
        pot = root / "locale" / "templates" / issue / f"{article}.pot"
        subprocess.run(
            [msgmerge, "--quiet", "--previous", "-o", str(po), str(po), str(pot)], check=True
        )


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")


def _timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
