"""Golden files: each rst construct beside the template extraction makes of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOLDEN, assert_golden

from translate_flow.catalogs import DATE_PLACEHOLDER, render_template
from translate_flow.rst import read_article

CASES = sorted((GOLDEN / "extract").glob("*.rst"))


@pytest.mark.parametrize("source", CASES, ids=[case.stem for case in CASES])
def test_template_matches_golden_file(source: Path, update_golden: bool) -> None:
    name = f"golden/{source.name}"
    parsed = read_article(source, source_name=name)
    assert [str(p) for p in parsed.problems if p.level != "info"] == []
    text = render_template(parsed.messages, source=name, title=f"golden/{source.stem}")
    assert DATE_PLACEHOLDER in text
    assert_golden(text, source.with_suffix(".rst.pot"), update_golden)
