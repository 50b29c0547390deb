"""The outputs of `translate-flow check`: for people, for CI and for machines.

Owns turning a `CheckReport` into text — a readable table, JSON with a versioned schema
(documented in docs/ci.md), GitHub Actions workflow commands, a Markdown job summary — and
the SVG completeness badge of a language. Pure functions returning strings; `cli` prints
them and `write_badges` is the one function here that touches files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from translate_flow import __version__
from translate_flow.check import (
    CATEGORIES,
    CatalogReport,
    CheckReport,
    Counts,
    LanguageReport,
    floor_percent,
)
from translate_flow.config import Config
from translate_flow.files import write_atomic

# Bump on any change a consumer could notice: a renamed or removed field, a changed meaning.
# Added fields do not bump it.
SCHEMA = "translate-flow/check"
SCHEMA_VERSION = 1

# At most this many findings in a Markdown summary; the job log has them all.
SUMMARY_PROBLEMS = 50

_COLUMNS = ("complete", "failing", "machine", "memory", "fuzzy", "untranslated", "obsolete")


# -- text ---------------------------------------------------------------------------------------


def text_table(report: CheckReport, *, verbose: bool = False) -> str:
    """Completeness per language (and per issue and article when `verbose`)."""
    header = ("language", "words", "msgs", *_COLUMNS, "gate")
    rows: list[tuple[str, ...]] = []
    for language in report.languages:
        rows.append(_row(language.language, language.counts, _gate(language)))
        if verbose:
            for issue, catalogs in _by_issue(language.catalogs):
                rows.append(_row(f"  {issue}", _sum(catalogs), ""))
                for catalog in catalogs:
                    rows.append(_row(f"    {catalog.article}", catalog.counts, ""))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [header, *rows]
    ]
    legend = (
        "words, msgs: percent complete (reviewed and passing every error-level check); "
        "columns count messages"
    )
    return "\n".join([*lines, legend]) + "\n"


def _row(label: str, counts: Counts, gate: str) -> tuple[str, ...]:
    return (
        label,
        f"{floor_percent(counts.percent('words')):.1f}%",
        f"{floor_percent(counts.percent('messages')):.1f}%",
        *(str(counts.count(column, "messages")) for column in _COLUMNS),
        gate,
    )


def _gate(language: LanguageReport) -> str:
    if not language.min_complete:
        return "-"
    verdict = "ok" if language.passed else "FAIL"
    return f"{verdict} (min {language.min_complete:g}%)"


def _by_issue(catalogs: tuple[CatalogReport, ...]) -> list[tuple[str, list[CatalogReport]]]:
    groups: dict[str, list[CatalogReport]] = {}
    for catalog in catalogs:
        groups.setdefault(catalog.issue, []).append(catalog)
    return list(groups.items())


def _sum(catalogs: list[CatalogReport]) -> Counts:
    counts = Counts()
    for catalog in catalogs:
        counts.merge(catalog.counts)
    return counts


def verdict_line(report: CheckReport) -> str:
    errors = sum(1 for p in report.problems if p.level == "error")
    warnings = sum(1 for p in report.problems if p.level == "warning")
    state = "passed" if report.passed else "FAILED"
    return f"check {state}: {errors} errors, {warnings} warnings"


# -- JSON ---------------------------------------------------------------------------------------


def to_json(report: CheckReport) -> str:
    """The whole report as JSON (schema `translate-flow/check` version 1, see docs/ci.md)."""
    data = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "tool": _Line(name="translate-flow", version=__version__),
        "passed": report.passed,
        "exit_status": report.status,
        "strict": report.strict,
        "summary": _Line(
            errors=sum(1 for p in report.problems if p.level == "error"),
            warnings=sum(1 for p in report.problems if p.level == "warning"),
        ),
        "languages": [_language_json(language) for language in report.languages],
        "problems": [
            _Line(path=p.path, line=p.line, level=p.level, check=p.check, message=p.message)
            for p in report.problems
        ],
    }
    return _layout(data) + "\n"


class _Line(dict[str, Any]):
    """An object the JSON report writes on one line: a count, an article, a finding."""


def _layout(value: Any, depth: int = 0) -> str:
    """JSON indented by structure, with each `_Line` record on one line, as in docs/ci.md.

    Readable and greppable, and fast: `json.dumps(indent=…)` runs Python's pure-Python
    encoder, which took seconds for the 80,000-entry archive; records go through the C one.
    """
    if isinstance(value, _Line) or not isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {_layout(v, depth + 1)}" for k, v in value.items()]
        brackets = "{}"
    else:
        items = [f"{pad}{_layout(v, depth + 1)}" for v in value]
        brackets = "[]"
    if not items:
        return brackets
    return f"{brackets[0]}\n" + ",\n".join(items) + f"\n{'  ' * depth}{brackets[1]}"


def _counts_json(counts: Counts) -> dict[str, Any]:
    categories = ("reviewed", *CATEGORIES)
    return {
        "percent_complete": _Line(
            words=round(counts.percent("words"), 2),
            messages=round(counts.percent("messages"), 2),
        ),
        "total": _Line(messages=counts.total("messages"), words=counts.total("words")),
        **{
            category: _Line(
                messages=counts.count(category, "messages"), words=counts.count(category, "words")
            )
            for category in categories
        },
    }


def _language_json(language: LanguageReport) -> dict[str, Any]:
    issues = []
    for issue, catalogs in _by_issue(language.catalogs):
        issues.append(
            {
                "issue": issue,
                **_counts_json(_sum(catalogs)),
                "articles": [
                    _Line(article=c.article, path=c.path, **_counts_json(c.counts))
                    for c in catalogs
                ],
            }
        )
    return {
        "language": language.language,
        "name": language.name,
        "min_complete": language.min_complete,
        "passed": language.passed,
        **_counts_json(language.counts),
        "issues": issues,
    }


# -- GitHub Actions -----------------------------------------------------------------------------


def github_annotations(report: CheckReport) -> str:
    """One workflow command per finding: shown on the pull request's changed lines."""
    lines = []
    for problem in report.problems:
        if problem.level == "info":
            continue
        properties = [f"file={_property(problem.path)}"]
        if problem.line:
            properties.append(f"line={problem.line}")
        if problem.check:
            properties.append(f"title={_property(problem.check)}")
        lines.append(f"::{problem.level} {','.join(properties)}::{_data(problem.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# -- Markdown summary ---------------------------------------------------------------------------


def markdown_summary(report: CheckReport) -> str:
    """A job summary: the gate per language, then the first findings."""
    icon = "✅" if report.passed else "❌"
    lines = [
        f"## {icon} Translations: {verdict_line(report)}",
        "",
        "| Language | Complete (words) | Complete (messages) | Reviewed | Failing | "
        "Machine | Memory | Fuzzy | Untranslated | Gate |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for language in report.languages:
        counts = language.counts
        cells = [
            f"{language.name} (`{language.language}`)",
            f"{floor_percent(counts.percent('words')):.1f}%",
            f"{floor_percent(counts.percent('messages')):.1f}%",
            *(
                str(counts.count(c, "messages"))
                for c in ("reviewed", "failing", "machine", "memory", "fuzzy", "untranslated")
            ),
            ("✅" if language.passed else "❌") + f" min {language.min_complete:g}%",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    shown = [p for p in report.problems if p.level != "info"][:SUMMARY_PROBLEMS]
    if shown:
        lines += ["", "### Findings", ""]
        for problem in shown:
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            check = f" `{problem.check}`" if problem.check else ""
            lines.append(f"- **{problem.level}**{check} `{where}`: {_markdown(problem.message)}")
        hidden = sum(1 for p in report.problems if p.level != "info") - len(shown)
        if hidden > 0:
            lines.append(f"- … and {hidden} more in the job log")
    return "\n".join(lines) + "\n"


def _markdown(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


# -- badges -------------------------------------------------------------------------------------


def badge_svg(*, label: str, percent: float) -> str:
    """A flat badge `label | 87%`, coloured from red to green by completeness."""
    value = f"{int(percent)}%"
    left, right = _text_width(label) + 10, _text_width(value) + 10
    width = left + right
    colour = _colour(percent)
    title = escape(f"{label}: {value} translated")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" '
        f'role="img" aria-label="{title}">\n'
        f"<title>{title}</title>\n"
        f'<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        f'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>\n'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>\n'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>\n'
        f'<g fill="#fff" text-anchor="middle" '
        f'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{left / 2:g}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2:g}" y="14">{value}</text></g>\n'
        "</svg>\n"
    )


def _text_width(text: str) -> int:
    # Verdana 11px: about 7 px for most letters, less for narrow ones; a badge need not be exact.
    narrow = sum(1 for c in text if c in "ijlI.,:;' |!ftr1")
    return int(7 * (len(text) - narrow) + 4 * narrow)


def _colour(percent: float) -> str:
    for threshold, colour in ((100, "#4c1"), (90, "#97ca00"), (75, "#a4a61d"), (50, "#dfb317")):
        if percent >= threshold:
            return colour
    return "#fe7d37" if percent >= 25 else "#e05d44"


def write_badges(report: CheckReport, config: Config) -> list[str]:
    """`output/badges/<lang>.svg` per language, rewritten only when it changes."""
    written = []
    for language in report.languages:
        percent = floor_percent(language.counts.percent("words"))
        svg = badge_svg(label=language.name, percent=percent)
        path = badge_path(config, language.language)
        if not path.is_file() or path.read_text(encoding="utf-8") != svg:
            write_atomic(path, svg)
            written.append(config.relative(path))
    return written


def badge_path(config: Config, language: str) -> Path:
    """`output/badges/<lang>.svg`."""
    return config.output_dir / "badges" / f"{language}.svg"
