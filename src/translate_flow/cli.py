"""The `translate-flow` command.

Owns argument parsing, printing and exit statuses; the only module that catches
`TranslateFlowError`. Each subcommand is a thin handler over a stage function that returns
data. Stage modules are imported inside the handlers so `--help` stays instant.

Exit statuses: 0 success · 1 a stage found errors (or warnings with --strict) · 2 usage,
configuration or input error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from translate_flow import __version__
from translate_flow.errors import Problem, TranslateFlowError

if TYPE_CHECKING:
    from translate_flow.config import Config
    from translate_flow.pipeline import StageResult

Handler = Callable[[argparse.Namespace, "Config"], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        config = _load_config(args.project)
        status: int = args.handler(args, config)
        return status
    except TranslateFlowError as err:
        print(f"translate-flow: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("translate-flow: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="translate-flow",
        description="Turn English rst newsletters into reviewed translations and editions.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="the publication project (default: the nearest pyproject.toml with a "
        "[tool.translate-flow] table, from the current folder upwards)",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    extract = sub.add_parser(
        "extract",
        parents=[common],
        help="write one gettext template (POT) per English article",
        description="Write locale/templates/<issue>/<article>.pot for every article under "
        "the source folder. Unchanged articles are not parsed again.",
    )
    extract.add_argument("-j", "--jobs", type=int, help="worker processes (default: all cores)")
    extract.set_defaults(handler=_extract)
    update = sub.add_parser(
        "update",
        parents=[common],
        help="merge the templates into one PO catalog per language",
        description="Create or update locale/<lang>/LC_MESSAGES/<issue>/<article>.po from the "
        "templates, like `msgmerge --previous`: translations are kept, carried over as fuzzy "
        "when the English changed, and kept as obsolete (#~) when a paragraph disappears. "
        "A catalog that does not parse strictly is reported and left as it is.",
    )
    update.add_argument(
        "-l",
        "--language",
        action="append",
        dest="languages",
        metavar="LANG",
        help="only this language (repeatable; default: every configured language)",
    )
    update.set_defaults(handler=_update)
    return parser


def _load_config(project: Path | None) -> Config:
    from translate_flow.config import find_project, load_config

    root = project if project is not None else find_project(Path.cwd())
    return load_config(root)


def _extract(args: argparse.Namespace, config: Config) -> int:
    from translate_flow import pipeline

    result = pipeline.extract(config, jobs=args.jobs)
    _print_files(result, verb="extracted")
    # docutils' warnings (an unknown target, a bad directive) are worth a red CI run.
    return _report(result.problems, strict=True)


def _update(args: argparse.Namespace, config: Config) -> int:
    from translate_flow import pipeline

    result = pipeline.update(config, languages=args.languages)
    _print_files(result, verb="updated")
    return _report(result.problems)


def _print_files(result: StageResult, *, verb: str, stream: TextIO = sys.stdout) -> None:
    for path in result.written:
        print(f"{verb} {path}", file=stream)
    for path in result.removed:
        print(f"removed {path} (its source is gone)", file=stream)
    for note in result.notes:
        print(note, file=stream)
    print(f"{len(result.written)} written, {result.unchanged} unchanged", file=stream)


def _report(problems: list[Problem], *, strict: bool = False) -> int:
    """Print findings to stderr; the exit status is decided here, once."""
    for problem in problems:
        if problem.level != "info":
            print(problem, file=sys.stderr)
    failing = {"error", "warning"} if strict else {"error"}
    if any(p.level in failing for p in problems):
        return 1
    return 0
