"""The `translate-flow` command.

Owns argument parsing, printing and exit statuses; the only module that catches
`TranslateFlowError`. Each subcommand is a thin handler over a stage function that returns
data. Stage modules are imported inside the handlers so `--help` stays instant.

Exit statuses: 0 success · 1 a stage found errors (or warnings with --strict) · 2 usage,
configuration or input error.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from translate_flow import __version__
from translate_flow.errors import ConfigError, Problem, TranslateFlowError

if TYPE_CHECKING:
    from translate_flow.config import Config
    from translate_flow.stage import StageResult

Handler = Callable[[argparse.Namespace, "Config"], int]


def main(argv: Sequence[str] | None = None) -> int:
    # Every stage holds thousands of parsed catalogs or doctrees while it works, and Python's
    # default collector (a pass every 700 allocations) kept re-scanning them: 12-15% of a cold
    # `check`. Rarer passes; docutils' cyclic garbage is still collected, in larger batches.
    gc.set_threshold(100_000, 50, 1000)
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
    _add_languages(
        update, help="only this language (repeatable; default: every configured language)"
    )
    update.add_argument("-j", "--jobs", type=int, help="worker processes (default: all cores)")
    update.set_defaults(handler=_update)
    build = sub.add_parser(
        "build",
        parents=[common],
        help="render every issue in every language into output/",
        description="Render output/<lang>/<issue>/ from the English sources and the reviewed "
        "translations, the English original in output/en/, and output/index.html. "
        "Untranslated, fuzzy and refused messages are shown in English. Unchanged editions "
        "are not rendered again; an edition below its min-complete keeps its previous output.",
    )
    _add_languages(
        build, help="build only this language (repeatable; the English original is always built)"
    )
    build.add_argument(
        "--draft",
        action="store_true",
        help="write review editions under output/draft/ that show machine, memory and fuzzy "
        "drafts, each paragraph marked, with a legend",
    )
    build.add_argument("-j", "--jobs", type=int, help="worker processes (default: all cores)")
    build.set_defaults(handler=_build)

    pretranslate = sub.add_parser(
        "pretranslate",
        parents=[common],
        help="fill empty catalog entries with machine drafts (fuzzy) for translators to review",
        description="Fill every empty entry of locale/<lang>/LC_MESSAGES/**/*.po with a "
        "machine translation marked fuzzy, with its provenance in a translator comment. "
        "Translated, fuzzy and obsolete entries are never touched.",
    )
    _add_languages(
        pretranslate, help="only this language (repeatable; default: all configured languages)"
    )
    pretranslate.set_defaults(handler=_pretranslate)

    models = sub.add_parser(
        "models",
        help="list and install machine translation models (Argos packages)",
        description="Argos Translate packages: what is installed and which language each "
        "serves; installing a package file or one from the package index.",
    )
    models_sub = models.add_subparsers(title="model commands", metavar="COMMAND", required=True)
    listing = models_sub.add_parser(
        "list", parents=[common], help="installed packages and the route for each language"
    )
    listing.set_defaults(handler=_models_list)
    install = models_sub.add_parser(
        "install",
        parents=[common],
        help="install FILE.argosmodel, or --from-index FROM TO",
        description="Install a package into the project's models folder: a local "
        ".argosmodel file, or the newest FROM→TO package of the package index "
        "(mt-index-url, default the Argos index).",
    )
    install.add_argument("file", nargs="?", type=Path, help="an .argosmodel file")
    install.add_argument(
        "--from-index", nargs=2, metavar=("FROM", "TO"), help="fetch FROM→TO from the index"
    )
    install.set_defaults(handler=_models_install)
    _add_check(sub, common)
    _add_memory_parser(sub, common)
    return parser


def _add_check(sub: Any, common: argparse.ArgumentParser) -> None:
    check = sub.add_parser(
        "check",
        parents=[common],
        help="completeness and quality of the catalogs; the gate for CI",
        description="Report how complete each language is (counting only what build "
        "publishes), check every reviewed translation, and fail when a catalog is stale, "
        "a check finds an error or a language is below its min-complete. Exit status: "
        "0 every gate passes, 1 a gate or an error-level check failed, 2 usage or "
        "configuration error.",
    )
    _add_languages(
        check, help="check only this language (repeatable; default: every configured language)"
    )
    check.add_argument(
        "-v", "--verbose", action="store_true", help="completeness per issue and article too"
    )
    check.add_argument(
        "--min-complete",
        type=_percent,
        metavar="N",
        help="required percent complete (by words) for every checked language, "
        "instead of the configured min-complete",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default): findings and a table; json: the whole report (schema in "
        "docs/ci.md); github: GitHub Actions annotations and the table",
    )
    check.add_argument(
        "--summary",
        type=Path,
        metavar="FILE",
        help='append a Markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY")',
    )
    check.add_argument(
        "--no-badges",
        action="store_true",
        help="do not write the SVG completeness badges under output/badges/",
    )
    check.add_argument("-j", "--jobs", type=int, help="worker processes (default: all cores)")
    check.set_defaults(handler=_check)


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 100")
    return value


def _add_memory_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    memory = sub.add_parser(
        "memory",
        help="the translation memory: reviewed translations of every issue, and TMX files",
        description="The translation memory of a language: every reviewed entry of its "
        "catalogs plus the TMX files in locale/memory/.",
    )
    actions = memory.add_subparsers(title="actions", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[common],
        help="write the memory of one language as TMX (for OmegaT, Weblate, CAT tools)",
        description="Write the translation memory of one language as a TMX 1.4 file.",
    )
    export.add_argument("-l", "--language", required=True, help="the language to export")
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="the TMX file (default: stdout)"
    )
    export.set_defaults(handler=_memory_export)


def _add_languages(command: argparse.ArgumentParser, *, help: str) -> None:
    """`-l LANG`, repeatable, into `args.languages` (None: every configured language)."""
    command.add_argument(
        "-l", "--language", action="append", dest="languages", metavar="LANG", help=help
    )


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


def _memory_export(args: argparse.Namespace, config: Config) -> int:
    from translate_flow import memory
    from translate_flow.files import write_atomic

    (language,) = config.select_languages([args.language])
    tm, problems = memory.build_memory(config, language)
    text = memory.export_tmx(tm, source_language=config.source_language)
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_atomic(args.output, text)
        pairs = sum(1 for _ in tm.units())
        print(f"exported {pairs} translations of {len(tm)} messages to {args.output}")
    return _report(problems)


def _build(args: argparse.Namespace, config: Config) -> int:
    from translate_flow import pipeline

    result = pipeline.build(config, languages=args.languages, draft=args.draft, jobs=args.jobs)
    _print_files(result, verb="wrote")
    return _report(result.problems)


def _pretranslate(args: argparse.Namespace, config: Config) -> int:
    from translate_flow.pretranslate import pretranslate

    bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    result = pretranslate(config, languages=args.languages, progress=bar)
    if bar is not None:
        bar.finish()
    _print_files(result, verb="pretranslated")
    return _report(result.problems)


def _models_list(args: argparse.Namespace, config: Config) -> int:
    from translate_flow import models

    folders = models.package_dirs(config)
    packages = models.installed_packages(folders)
    print("packages folders: " + ", ".join(str(folder) for folder in folders))
    for package in packages:
        print(f"{package.pair}  {package.name} {package.package_version}  {package.path}")
    if not packages:
        print("no packages installed")
    for language in config.languages:
        route = models.find_route(packages, config.source_language, language)
        served = f"argos {route.name}" if route else "none: entries stay for translators"
        print(f"{language}: {served}")
    return 0


def _models_install(args: argparse.Namespace, config: Config) -> int:
    from translate_flow import models
    from translate_flow.errors import ConfigError

    if (args.file is None) == (args.from_index is None):
        raise ConfigError("give either FILE.argosmodel or --from-index FROM TO")
    if args.file is not None:
        package = models.install_file(args.file, config.models_dir)
    else:
        package = models.fetch_from_index(config, *args.from_index)
    print(
        f"installed {package.name} {package.package_version} ({package.pair}) "
        f"into {config.relative(package.path)}"
    )
    return 0


class _ProgressBar:
    """One line on a terminal: language, bar, entries/s, time left."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.language = ""
        self.started = 0.0

    def __call__(self, language: str, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if language != self.language:
            self.finish()
            self.language, self.started = language, now
        rate = done / (now - self.started) if now > self.started and done else 0.0
        left = f"{(total - done) / rate:.0f} s left" if rate else "…"
        filled = 30 * done // max(total, 1)
        self.stream.write(
            f"\r{language}: [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} entries, "
            f"{rate:.1f} entries/s, {left}   "
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.language:
            self.stream.write("\n")
            self.language = ""


def _update(args: argparse.Namespace, config: Config) -> int:
    from translate_flow import pipeline

    result = pipeline.update(config, languages=args.languages, jobs=args.jobs)
    _print_files(result, verb="updated")
    return _report(result.problems)


def _check(args: argparse.Namespace, config: Config) -> int:
    from translate_flow import check, report

    languages = config.select_languages(args.languages)
    result = check.check(
        config,
        languages=languages,
        min_complete=args.min_complete,
        strict=args.strict,
        jobs=args.jobs,
    )
    if args.format == "json":
        sys.stdout.write(report.to_json(result))
    else:
        if args.format == "github":
            sys.stdout.write(report.github_annotations(result))
        else:
            for problem in result.problems:
                if problem.level != "info":
                    print(problem)
        sys.stdout.write(report.text_table(result, verbose=args.verbose))
        print(report.verdict_line(result))
    if args.summary is not None:
        try:
            with args.summary.open("a", encoding="utf-8") as stream:
                stream.write(report.markdown_summary(result))
        except OSError as err:
            raise ConfigError(
                f"cannot write the summary: {err.strerror}", path=args.summary
            ) from err
    if not args.no_badges:
        report.write_badges(result, config)
    return result.status


def _print_files(result: StageResult, *, verb: str, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout  # looked up now: a default would bind the import-time stdout
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
