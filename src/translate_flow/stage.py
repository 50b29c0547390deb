"""What every stage returns, and where stages keep their caches.

Owns `StageResult`, the record a stage function gives the CLI (files written, left alone,
removed, findings, one-line notes), and the shared constants of the stage modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translate_flow.errors import Problem

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
