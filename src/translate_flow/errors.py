"""Errors and findings.

Owns the `TranslateFlowError` family (what a user can fix, raised and caught once in
`cli.py`) and the `Problem` record (a finding in some file, collected as a value and turned
into an exit status at the end of a command).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Level = Literal["info", "warning", "error"]


@dataclass(frozen=True)
class Problem:
    """One finding, printed as ``path:line: level: message`` so editors and CI can jump to it."""

    path: str
    line: int | None
    level: Level
    message: str
    check: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        name = f"{self.check}: " if self.check else ""
        return f"{where}: {self.level}: {name}{self.message}"


class TranslateFlowError(Exception):
    """Something the user can fix; the message names the file and the next step."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: error: {self.message}"


class ConfigError(TranslateFlowError):
    """The `[tool.translate-flow]` table or a command-line option is wrong."""


class SourceError(TranslateFlowError):
    """An rst source cannot be read or parsed."""


class CatalogError(TranslateFlowError):
    """A POT or PO file cannot be read, validated or written safely."""


class EngineError(TranslateFlowError):
    """A machine translation package is missing, corrupt or cannot run."""


def worst_level(problems: list[Problem]) -> Level | None:
    """The most severe level among `problems`, or None when there are none."""
    order: dict[Level, int] = {"info": 0, "warning": 1, "error": 2}
    if not problems:
        return None
    return max((p.level for p in problems), key=lambda level: order[level])
