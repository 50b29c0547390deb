"""What every stage returns, and where stages keep their caches.

Owns `StageResult`, the record a stage function gives the CLI (files written, left alone,
removed, findings, one-line notes), the shared constants of the stage modules, and how a
stage reads and writes its cache under `.translate-flow/` (stamped with the code it came
from, so a code change never reuses a stale result).
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate_flow import __version__
from translate_flow.errors import Problem
from translate_flow.files import write_if_changed

# Below this many articles to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 16

CACHE_DIR = ".translate-flow"


@dataclass
class StageResult:
    """What a stage did: files written, files left as they were, and findings."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one-line summaries for people


def read_cache(path: Path) -> dict[str, Any]:
    """A stage's cache under `.translate-flow/`, or {} when missing, unreadable or stale.

    A cache is stale when it was written by other code: another version of this package, an
    edited module during development, or other docutils or Babel releases.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.pop("stamp", None) != code_stamp():
        return {}
    return data


def write_cache(path: Path, data: dict[str, Any]) -> None:
    """Write a stage's cache atomically, and only when its content changed."""
    text = json.dumps(
        {"stamp": code_stamp(), **data}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    write_if_changed(path, text)


@functools.cache
def code_stamp() -> str:
    """A digest of the code that cached results depend on: this package, docutils and Babel."""
    import babel
    import docutils

    digest = hashlib.sha1(f"{__version__} {docutils.__version__} {babel.__version__}".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".css") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
