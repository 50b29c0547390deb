"""The shipped GitHub workflow runs check with the outputs docs/ci.md describes."""

from __future__ import annotations

from pathlib import Path

import pytest

WORKFLOW = Path(__file__).resolve().parent.parent / ".github/workflows/translations.yml"


def test_translations_workflow_checks_pull_requests_touching_locale() -> None:
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "locale/**" in triggers["pull_request"]["paths"]
    steps = workflow["jobs"]["check"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/checkout@") and uses[1].startswith("actions/setup-python@")
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "pip install" in runs
    assert 'translate-flow check --format github --summary "$GITHUB_STEP_SUMMARY"' in runs
