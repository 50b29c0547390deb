"""Argos packages: where they are found, installing, validating, routes, the package index."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import make_project

from translate_flow import models
from translate_flow.config import load_config
from translate_flow.errors import EngineError


def test_argos_folder_is_resolved_as_argostranslate_does(tmp_path: Path) -> None:
    home = Path.home()
    assert models.argos_packages_dir({}) == home / ".local/share/argos-translate/packages"
    assert models.argos_packages_dir({"XDG_DATA_HOME": "/x"}) == Path("/x/argos-translate/packages")
    assert models.argos_packages_dir({"ARGOS_PACKAGES_DIR": "/p"}) == Path("/p")
    settings = tmp_path / "argos-translate" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"ARGOS_PACKAGES_DIR": "/from-settings"}))
    assert models.argos_packages_dir({"XDG_CONFIG_HOME": str(tmp_path)}) == Path("/from-settings")


def test_install_validates_and_reads_the_package(
    tmp_path: Path, argos_packages: dict[str, Path]
) -> None:
    package = models.install_file(argos_packages["en_ru"], tmp_path / "models")
    assert (package.name, package.pair, package.package_version) == (
        "translate-en_ru-0_0_1",
        "en>ru",
        "0.0.1",
    )
    assert package.splitter == models.Splitter("minisbd", package.path / "minisbd" / "en.onnx")
    assert models.installed_packages([tmp_path / "models"]) == [package]


def test_a_corrupt_archive_is_refused_and_nothing_is_installed(
    tmp_path: Path, argos_packages: dict[str, Path]
) -> None:
    broken = tmp_path / "broken.argosmodel"
    data = argos_packages["en_ru"].read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(EngineError, match=r"not a valid \.argosmodel"):
        models.install_file(broken, tmp_path / "models")
    assert not any((tmp_path / "models").glob("*"))


def test_a_package_without_its_model_is_refused(
    tmp_path: Path, argos_packages: dict[str, Path]
) -> None:
    stripped = tmp_path / "stripped.argosmodel"
    with (
        zipfile.ZipFile(argos_packages["en_ru"]) as source,
        zipfile.ZipFile(stripped, "w") as target,
    ):
        for item in source.infolist():
            if not item.filename.endswith("model.bin"):
                target.writestr(item, source.read(item))
    with pytest.raises(EngineError) as caught:
        models.install_file(stripped, tmp_path / "models")
    assert "package is incomplete: model/model.bin is missing" in str(caught.value)
    assert [p.name for p in (tmp_path / "models").iterdir()] == []


def test_routes_direct_chained_and_none(tmp_path: Path, argos_packages: dict[str, Path]) -> None:
    for archive in argos_packages.values():
        models.install_file(archive, tmp_path)
    packages = models.installed_packages([tmp_path])
    assert models.find_route(packages, "en", "ru").name == "en>ru"  # type: ignore[union-attr]
    assert models.find_route(packages, "en", "ky").name == "en>ru>ky"  # type: ignore[union-attr]
    assert models.find_route(packages, "en", "kk") is None


def test_install_from_a_file_index(tmp_path: Path, argos_packages: dict[str, Path]) -> None:
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    shutil.copy(argos_packages["en_ru"], mirror / "en_ru.argosmodel")
    index = [
        {
            "type": "translate",
            "from_code": "en",
            "to_code": "ru",
            "package_version": "0.0.1",
            "links": [(mirror / "en_ru.argosmodel").as_uri()],
        },
    ]
    (mirror / "index.json").write_text(json.dumps(index))
    project = make_project(tmp_path / "project", {})
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + f'mt-index-url = "{mirror.as_uri()}/"\n')
    config = load_config(project)
    package = models.fetch_from_index(config, "en", "ru")
    assert package.path == config.models_dir / "translate-en_ru-0_0_1"
    with pytest.raises(EngineError, match=r"has no en>kk package \(it has: en>ru\)"):
        models.fetch_from_index(config, "en", "kk")
