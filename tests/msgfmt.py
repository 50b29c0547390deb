"""`msgfmt -c` as an oracle: every catalog the tests write must pass GNU's own checks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

MSGFMT = shutil.which("msgfmt")
MSGMERGE = shutil.which("msgmerge")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is not installed")
needs_msgmerge = pytest.mark.skipif(
    MSGMERGE is None, reason="GNU gettext (msgmerge) is not installed"
)


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    assert MSGFMT is not None
    return subprocess.run(
        [MSGFMT, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )


def assert_msgfmt_accepts(*paths: Path) -> None:
    """Passes silently without msgfmt; the tests that need it say so with `needs_msgfmt`."""
    if MSGFMT is None:
        return
    for path in paths:
        checked = msgfmt_check(path)
        assert checked.returncode == 0, f"msgfmt -c rejects {path}:\n{checked.stderr}"


def msgmerge_previous(po: Path, pot: Path, out: Path) -> str:
    assert MSGMERGE is not None
    subprocess.run(
        [MSGMERGE, "--quiet", "--previous", "-o", str(out), str(po), str(pot)], check=True
    )
    return out.read_text(encoding="utf-8")
