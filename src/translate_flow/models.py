"""Machine translation packages.

Owns the Argos Translate package format and package management: where installed packages
live (the project's `models/` folder, then argostranslate's own folder, resolved exactly as
argostranslate 1.11 does), reading and validating a package (`metadata.json`, the
CTranslate2 model, the SentencePiece model, the sentence splitter), installing a
`.argosmodel` file, fetching one from a package index, and routes (en→ru directly, or
en→ru→ky through two installed packages). Running a package is `mt.py`'s job; this module
never loads a model.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from translate_flow.config import Config
from translate_flow.errors import EngineError

# argostranslate's default index; the URL is a prefix, "index.json" is appended.
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
PACKAGE_SUFFIX = ".argosmodel"
# Every file a translate package needs, besides one of the tokenizers.
_REQUIRED = ("metadata.json", "model/model.bin", "model/config.json")
_VOCABULARIES = (
    "shared_vocabulary.json",
    "shared_vocabulary.txt",
    "source_vocabulary.json",
    "source_vocabulary.txt",
)
# MiniSBD models argostranslate falls back to for source languages it has none for.
_MINISBD_LANGUAGES = {
    "zt": "zh-hant",
    "zh": "zh-hans",
    "pb": "pt",
    "az": "tr",
    "bn": "hi",
    "eo": "en",
    "ms": "en",
    "tl": "en",
}


@dataclass(frozen=True)
class Splitter:
    """How a package's source text is split into sentences, as argostranslate would."""

    kind: str  # "minisbd" (an ONNX model) or "stanza" (a packaged stanza folder)
    path: Path


@dataclass(frozen=True)
class Package:
    """An installed Argos translate package (a folder holding `metadata.json`)."""

    path: Path
    from_code: str
    to_code: str
    package_version: str
    target_prefix: str
    splitter: Splitter | None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def tokenizer(self) -> Path:
        return self.path / "sentencepiece.model"

    @property
    def pair(self) -> str:
        return f"{self.from_code}>{self.to_code}"


@dataclass(frozen=True)
class Route:
    """One package, or two chained through a pivot language."""

    packages: tuple[Package, ...]

    @property
    def name(self) -> str:
        """`en>ru` or `en>ru>ky`, as written in the provenance comment."""
        codes = [self.packages[0].from_code] + [p.to_code for p in self.packages]
        return ">".join(codes)


# -- where packages live ---------------------------------------------------------------------


def argos_data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """argostranslate's data folder: `$XDG_DATA_HOME/argos-translate` (snap-aware)."""
    home = Path(environ["SNAP_USER_DATA"]) if "SNAP" in environ else Path.home()
    return Path(environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "argos-translate"


def argos_packages_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """argostranslate's packages folder: ARGOS_PACKAGES_DIR (environment, then its
    settings.json), else `<data dir>/packages` — the same lookup as argostranslate 1.11."""
    if "ARGOS_PACKAGES_DIR" in environ:
        return Path(environ["ARGOS_PACKAGES_DIR"])
    home = Path(environ["SNAP_USER_DATA"]) if "SNAP" in environ else Path.home()
    config_dir = Path(environ.get("XDG_CONFIG_HOME", home / ".config")) / "argos-translate"
    try:
        settings = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    if isinstance(settings, dict) and settings.get("ARGOS_PACKAGES_DIR"):
        return Path(str(settings["ARGOS_PACKAGES_DIR"]))
    return argos_data_dir(environ) / "packages"


def package_dirs(config: Config, environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Folders searched for packages, the project's own first (it wins on a tie)."""
    return [config.models_dir, argos_packages_dir(environ)]


def installed_packages(
    folders: Iterable[Path], environ: Mapping[str, str] = os.environ
) -> list[Package]:
    """Every translate package in `folders`, validated. A broken one raises EngineError."""
    found = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_dir() and not path.name.startswith("."):
                package = read_package(path, environ)
                if package is not None:
                    found.append(package)
    return found


def read_package(path: Path, environ: Mapping[str, str] = os.environ) -> Package | None:
    """The package in folder `path`; None for non-translate packages (legacy `sbd`)."""
    metadata_path = path / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise EngineError(
            "not an Argos package: metadata.json is missing; remove the folder or reinstall it",
            path=path,
        ) from err
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise EngineError(f"unreadable metadata.json: {err}", path=metadata_path) from err
    if not isinstance(metadata, dict):
        raise EngineError("metadata.json must hold a JSON object", path=metadata_path)
    if metadata.get("type", "translate") != "translate":
        return None
    codes = [metadata.get("from_code"), metadata.get("to_code")]
    if not all(isinstance(code, str) and code for code in codes):
        raise EngineError("metadata.json needs from_code and to_code", path=metadata_path)
    for relative in _REQUIRED:
        if not (path / relative).is_file():
            raise EngineError(f"package is incomplete: {relative} is missing", path=path)
    if not any((path / "model" / name).is_file() for name in _VOCABULARIES):
        raise EngineError("package is incomplete: model/ has no vocabulary file", path=path)
    if not (path / "sentencepiece.model").is_file():
        reason = (
            "uses a BPE tokenizer (bpe.model), which translate-flow does not run"
            if (path / "bpe.model").is_file()
            else "sentencepiece.model is missing"
        )
        raise EngineError(f"package {reason}", path=path)
    return Package(
        path=path,
        from_code=str(metadata["from_code"]),
        to_code=str(metadata["to_code"]),
        package_version=str(metadata.get("package_version", "")),
        target_prefix=str(metadata.get("target_prefix", "")),
        splitter=_splitter(path, str(metadata["from_code"]), environ),
    )


def _splitter(path: Path, from_code: str, environ: Mapping[str, str]) -> Splitter | None:
    """argostranslate's choice: packaged MiniSBD, packaged Stanza, else MiniSBD's model for
    the source language from argostranslate's data folder (None if it was never fetched)."""
    minisbd = sorted((path / "minisbd").glob("*.onnx")) if (path / "minisbd").is_dir() else []
    if (path / "minisbd").exists():
        return Splitter("minisbd", minisbd[0]) if minisbd else None
    if (path / "stanza").exists():
        return Splitter("stanza", path / "stanza")
    language = _MINISBD_LANGUAGES.get(from_code, from_code)
    cached = argos_data_dir(environ) / "minisbd" / f"{language}.onnx"
    return Splitter("minisbd", cached) if cached.is_file() else None


# -- routes ----------------------------------------------------------------------------------


def find_route(packages: list[Package], source: str, target: str) -> Route | None:
    """A direct package, else a chain of two through a pivot (Russian first, as the project's
    reference language). Among equal choices the first found wins (project folder first)."""
    direct = [p for p in packages if p.from_code == source and p.to_code == target]
    if direct:
        return Route((direct[0],))
    chains = [
        (first, second)
        for first in packages
        if first.from_code == source
        for second in packages
        if second.from_code == first.to_code and second.to_code == target
    ]
    if not chains:
        return None
    chains.sort(key=lambda pair: (pair[0].to_code != "ru", pair[0].to_code))
    return Route(chains[0])


# -- installing ------------------------------------------------------------------------------


def install_file(archive: Path, folder: Path) -> Package:
    """Install a `.argosmodel` into `folder` (replacing the same package), validated first:
    a corrupt archive raises EngineError and leaves `folder` as it was."""
    if not archive.is_file():
        raise EngineError("no such file", path=archive)
    top = _check_archive(archive)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=folder))
    try:
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(staging)
        package = read_package(staging / top)
        if package is None:
            raise EngineError("not a translate package (metadata type)", path=archive)
        destination = folder / top
        if destination.exists():
            shutil.rmtree(destination)
        (staging / top).rename(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    installed = read_package(destination)
    assert installed is not None
    return installed


def _check_archive(archive: Path) -> str:
    """The archive's single top-level folder; EngineError if it is not a sound package zip."""
    try:
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            broken = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise EngineError(f"not a valid .argosmodel (zip) file: {err}", path=archive) from err
    if broken is not None:
        raise EngineError(f"corrupt archive: {broken} fails its checksum", path=archive)
    tops = {PurePosixPath(name).parts[0] for name in names if name.strip("/")}
    unsafe = [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts]
    if unsafe or len(tops) != 1:
        raise EngineError(
            "an .argosmodel must hold exactly one top-level folder and no absolute paths",
            path=archive,
        )
    top = tops.pop()
    if f"{top}/metadata.json" not in names:
        raise EngineError(f"corrupt package: {top}/metadata.json is missing", path=archive)
    return top


def fetch_from_index(config: Config, source: str, target: str) -> Package:
    """Download the newest `source`→`target` package of the index and install it into the
    project's models folder. The index is `<mt-index-url>index.json`, as for argostranslate."""
    base = config.mt_index_url or os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX_URL
    index_url = base if base.endswith(".json") else base.rstrip("/") + "/index.json"
    entries = _read_index(index_url)
    matches = [
        e
        for e in entries
        if e.get("from_code") == source
        and e.get("to_code") == target
        and e.get("type", "translate") == "translate"
    ]
    if not matches:
        offered = sorted({f"{e.get('from_code')}>{e.get('to_code')}" for e in entries})
        raise EngineError(
            f"the package index has no {source}>{target} package "
            f"(it has: {', '.join(offered) or 'nothing'})",
            path=index_url,
        )
    newest = max(matches, key=lambda e: _version_key(str(e.get("package_version", ""))))
    with tempfile.TemporaryDirectory() as scratch:
        archive = _download(newest, Path(scratch), index_url)
        return install_file(archive, config.models_dir)


def _read_index(url: str) -> list[dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data = json.loads(response.read().decode("utf-8"))
    except (OSError, urllib.error.URLError, ValueError) as err:
        raise EngineError(f"cannot read the package index: {err}", path=url) from err
    if not isinstance(data, list):
        raise EngineError("the package index must be a JSON list", path=url)
    return [entry for entry in data if isinstance(entry, dict)]


def _download(entry: dict[str, object], folder: Path, index_url: str) -> Path:
    """Fetch the package file, through argostranslate's downloader when the `argos` extra is
    installed and the links are http(s) (it caches downloads), else with urllib."""
    links = [str(link) for link in entry.get("links", []) or []]  # type: ignore[attr-defined]
    if not links:
        raise EngineError("the index entry has no download links", path=index_url)
    name = f"translate-{entry.get('from_code')}_{entry.get('to_code')}{PACKAGE_SUFFIX}"
    if all(link.startswith(("http://", "https://")) for link in links):
        downloaded = _download_with_argos(entry)
        if downloaded is not None:
            return downloaded
    errors = []
    for link in links:
        try:
            with urllib.request.urlopen(link, timeout=600) as response:
                (folder / name).write_bytes(response.read())
            return folder / name
        except (OSError, urllib.error.URLError) as err:
            errors.append(f"{link}: {err}")
    raise EngineError("download failed: " + "; ".join(errors), path=index_url)


def _download_with_argos(entry: dict[str, object]) -> Path | None:
    try:
        from argostranslate.package import AvailablePackage
    except ImportError:
        return None
    try:
        return Path(AvailablePackage(entry).download())
    except Exception as err:  # argostranslate raises bare Exception on download failure
        raise EngineError(f"download failed: {err}") from err


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in version.split("."))
