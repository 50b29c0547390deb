"""Shared fixtures: golden-file updating, throw-away copies of publication projects."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected files of golden tests from the current output",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Header dates are reproducible: 2009-12-31 00:00 UTC."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1262217600")


@pytest.fixture
def sample_project(tmp_path: Path) -> Iterator[Path]:
    """A copy of this repository's publication project: its config, sources and catalogs."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
    shutil.copytree(REPO / "source", project / "source")
    if (REPO / "locale").is_dir():
        shutil.copytree(REPO / "locale", project / "locale")
    yield project


def make_project(root: Path, files: dict[str, str], *, languages: str = '["ru", "kk"]') -> Path:
    """A small project from `files` (relative path → text) with a minimal configuration."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        f'[tool.translate-flow]\nsource-language = "en"\nlanguages = {languages}\n',
        encoding="utf-8",
    )
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def assert_golden(actual: str, expected_path: Path, update: bool) -> None:
    """Compare with a golden file, or rewrite it under --update-golden."""
    if update:
        expected_path.write_text(actual, encoding="utf-8")
        return
    assert expected_path.is_file(), f"{expected_path} is missing: run pytest --update-golden"
    expected = expected_path.read_text(encoding="utf-8")
    assert actual == expected, f"{expected_path} differs; if intended, run pytest --update-golden"


@pytest.fixture(scope="session")
def argos_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real .argosmodel files (en→ru transliterating, ru→ky), built once per session."""
    from support.argos_package import EN_RU, RU_KY, build_package

    folder = tmp_path_factory.mktemp("argos-packages")
    return {"en_ru": build_package(folder, EN_RU), "ru_ky": build_package(folder, RU_KY)}


@pytest.fixture(autouse=True)
def no_user_argos_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never find the packages of whoever runs the tests: argostranslate's folder is empty."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-packages"))
    monkeypatch.setenv("ARGOS_INTRA_THREADS", "1")
