"""The [tool.translate-flow] table: defaults, validation and project discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate_flow.config import find_project, load_config
from translate_flow.errors import ConfigError


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.translate-flow]\n{table}\n", encoding="utf-8")
    return tmp_path


def test_defaults_and_paths(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, 'languages = ["ru", "kk"]'))
    assert config.languages == ("ru", "kk")
    assert config.source_dir == tmp_path.resolve() / "source"
    assert config.pot_path("2009-12", "a") == tmp_path.resolve() / "locale/templates/2009-12/a.pot"
    assert config.po_path("kk", "2009-12", "a").relative_to(tmp_path.resolve()) == Path(
        "locale/kk/LC_MESSAGES/2009-12/a.po"
    )
    assert config.reference_language == "ru"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('languages = ["ru"]\nlanguage = "x"', "unknown key 'language'"),
        ('languages = ["ru", "xx"]', "languages: unknown language code 'xx'"),
        ('languages = ["ru"]\nsource-language = "zz"', "source-language: unknown language code"),
        ("languages = []", "languages must be a non-empty list"),
        ('languages = ["ru"]\nmin-complete = 120', "min-complete must be"),
        ('languages = ["ru"]\nmin-complete = { de = 50 }', "'de' is not one of the configured"),
    ],
)
def test_invalid_configuration_names_the_key(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(_project(tmp_path, table))
    assert message in str(raised.value)
    assert str(raised.value).startswith(str(tmp_path / "pyproject.toml"))


def test_project_is_found_upwards(tmp_path: Path) -> None:
    _project(tmp_path, 'languages = ["ru"]')
    nested = tmp_path / "source" / "2009-12"
    nested.mkdir(parents=True)
    assert find_project(nested) == tmp_path


def test_unknown_language_on_the_command_line(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, 'languages = ["ru", "kk"]'))
    assert config.select_languages(["kk"]) == ("kk",)
    with pytest.raises(ConfigError, match="language 'de' is not configured"):
        config.select_languages(["de"])
