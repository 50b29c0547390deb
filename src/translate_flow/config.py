"""Configuration.

Owns the `[tool.translate-flow]` table of a publication project's `pyproject.toml`: finding
it, validating it (unknown keys and unknown language codes are errors that name the key) and
turning it into a frozen `Config` with the path helpers every stage uses. Knows nothing of
docutils, polib or machine translation.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from translate_flow.errors import ConfigError

TABLE = "tool.translate-flow"

# Key → (type description, default). Later stages add their keys here, so that a typo in
# any key is caught in one place.
KNOWN_KEYS: dict[str, str] = {
    "source-language": "a language code",
    "languages": "a list of language codes",
    "source-dir": "a folder",
    "locale-dir": "a folder",
    "output-dir": "a folder",
    "reference-language": "a language code, or false",
    "min-complete": "a percentage, or a table of language = percentage",
    "models-dir": "a folder",
    "mt-beam-size": "a whole number",
    "mt-index-url": "a URL",
    "memory-exact": '"fuzzy" or "reviewed"',
    "memory-threshold": "a percentage",
    "glossary": "a file",
}


@dataclass(frozen=True)
class Config:
    """A publication project, resolved: every path is absolute."""

    root: Path
    source_language: str = "en"
    languages: tuple[str, ...] = ()
    source_dir: Path = Path("source")
    locale_dir: Path = Path("locale")
    output_dir: Path = Path("output")
    reference_language: str | None = "ru"
    min_complete: Mapping[str, float] = field(default_factory=dict)
    models_dir: Path = Path("models")
    mt_beam_size: int = 4
    mt_index_url: str | None = None
    memory_exact: str = "fuzzy"
    memory_threshold: float = 75.0
    glossary: Path = Path("locale/glossary.csv")

    # -- paths ------------------------------------------------------------------------------
    @property
    def templates_dir(self) -> Path:
        return self.locale_dir / "templates"

    # One Path built from all parts rather than a chain of `/`: these run for every catalog.
    def pot_path(self, issue: str, article: str) -> Path:
        """`locale/templates/<issue>/<article>.pot`."""
        return Path(self.locale_dir, "templates", issue, f"{article}.pot")

    def catalog_dir(self, language: str) -> Path:
        return self.locale_dir / language / "LC_MESSAGES"

    def po_path(self, language: str, issue: str, article: str) -> Path:
        """`locale/<lang>/LC_MESSAGES/<issue>/<article>.po`."""
        return Path(self.locale_dir, language, "LC_MESSAGES", issue, f"{article}.po")

    def edition_dir(self, language: str, issue: str) -> Path:
        """`output/<lang>/<issue>/`."""
        return self.output_dir / language / issue

    def relative(self, path: Path) -> str:
        """`path` relative to the project root, in POSIX form, for messages and PO comments."""
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep) and f"{os.sep}..{os.sep}" not in f"{text}{os.sep}":
            # Paths the stages build from `root` (already resolved): string work only, as
            # this runs for each of the thousands of catalogs of an archive.
            return text[len(root) + 1 :].replace(os.sep, "/")
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def min_complete_for(self, language: str) -> float:
        return self.min_complete.get(language, self.min_complete.get("*", 0.0))

    def select_languages(self, requested: list[str] | None) -> tuple[str, ...]:
        """The languages a command works on: all configured ones, or the `-l` selection."""
        if not requested:
            return self.languages
        unknown = [lang for lang in requested if lang not in self.languages]
        if unknown:
            configured = ", ".join(self.languages)
            raise ConfigError(
                f"language {unknown[0]!r} is not configured in [{TABLE}] languages "
                f"(configured: {configured})"
            )
        return tuple(requested)


def find_project(start: Path) -> Path:
    """The nearest folder upwards from `start` whose pyproject.toml has a translate-flow table."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _table(candidate) is not None:
            return folder
    raise ConfigError(
        f"no pyproject.toml with a [{TABLE}] table in {start} or above; "
        "pass --project DIR or create one (see README.md)"
    )


def load_config(root: Path) -> Config:
    """Read and validate `root/pyproject.toml`."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise ConfigError(f"{pyproject} does not exist; pass --project DIR")
    table = _table(pyproject)
    if table is None:
        raise ConfigError(f"no [{TABLE}] table", path=pyproject)
    return _build(root.resolve(), table, pyproject)


def _table(pyproject: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read: {err}", path=pyproject) from err
    table = data.get("tool", {}).get("translate-flow")
    return table if isinstance(table, dict) else None


def _build(root: Path, table: dict[str, Any], pyproject: Path) -> Config:
    for key in table:
        if key not in KNOWN_KEYS:
            known = ", ".join(KNOWN_KEYS)
            raise ConfigError(f"unknown key {key!r} in [{TABLE}] (known: {known})", path=pyproject)

    def folder(key: str, default: str) -> Path:
        value = table.get(key, default)
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{key} must be {KNOWN_KEYS[key]}", path=pyproject)
        return root / value

    source_language = _language(table.get("source-language", "en"), "source-language", pyproject)
    languages = table.get("languages", [])
    if not isinstance(languages, list) or not languages:
        raise ConfigError("languages must be a non-empty list of language codes", path=pyproject)
    codes = tuple(_language(code, "languages", pyproject) for code in languages)
    if source_language in codes:
        raise ConfigError(
            f"languages lists the source language {source_language!r}", path=pyproject
        )
    reference = table.get("reference-language", "ru")
    if reference is False or reference == "":
        reference = None
    elif reference is not None:
        reference = _language(reference, "reference-language", pyproject)
    return Config(
        root=root,
        source_language=source_language,
        languages=codes,
        source_dir=folder("source-dir", "source"),
        locale_dir=folder("locale-dir", "locale"),
        output_dir=folder("output-dir", "output"),
        reference_language=reference,
        min_complete=_min_complete(table.get("min-complete", 0), codes, pyproject),
        models_dir=folder("models-dir", "models"),
        mt_beam_size=_whole(table.get("mt-beam-size", 4), "mt-beam-size", pyproject),
        mt_index_url=table.get("mt-index-url"),
        memory_exact=_choice(table.get("memory-exact", "fuzzy"), "memory-exact", pyproject),
        memory_threshold=_percent(table.get("memory-threshold", 75), "memory-threshold", pyproject),
        glossary=root / str(table.get("glossary", "locale/glossary.csv")),
    )


def _language(code: object, key: str, pyproject: Path) -> str:
    if not isinstance(code, str) or not code:
        raise ConfigError(f"{key}: {code!r} is not a language code", path=pyproject)
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError) as err:
        raise ConfigError(f"{key}: unknown language code {code!r}", path=pyproject) from err
    return code


def _percent(value: object, key: str, pyproject: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise ConfigError(f"{key} must be {KNOWN_KEYS[key]} from 0 to 100", path=pyproject)
    return float(value)


def _whole(value: object, key: str, pyproject: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{key} must be {KNOWN_KEYS[key]}", path=pyproject)
    return value


def _choice(value: object, key: str, pyproject: Path) -> str:
    if value not in ("fuzzy", "reviewed"):
        raise ConfigError(f"{key} must be {KNOWN_KEYS[key]}", path=pyproject)
    return str(value)


def _min_complete(value: object, codes: tuple[str, ...], pyproject: Path) -> dict[str, float]:
    if isinstance(value, dict):
        result = {}
        for lang, percent in value.items():
            if lang != "*" and lang not in codes:
                raise ConfigError(
                    f"min-complete: {lang!r} is not one of the configured languages",
                    path=pyproject,
                )
            result[lang] = _percent(percent, "min-complete", pyproject)
        return result
    return {"*": _percent(value, "min-complete", pyproject)}
