"""The pipeline of translate-flow: one function per stage, over a `Config`.

    extract       English articles → templates            (extract.py)
    update        templates → catalogs per language        (update.py)
    pretranslate  empty entries ← memory and MT drafts     (pretranslate.py)
    build         sources + reviewed catalogs → editions   (build.py)
    check         completeness, quality, stale catalogs    (check.py)

Each stage function takes a `Config` and returns data (`StageResult` or a report); nothing
here prints. This module is the supported Python interface; the others are internal.
"""

from __future__ import annotations

from translate_flow.build import build
from translate_flow.extract import extract, stale_templates
from translate_flow.stage import CACHE_DIR, PARALLEL_THRESHOLD, StageResult
from translate_flow.update import update

__all__ = [
    "CACHE_DIR",
    "PARALLEL_THRESHOLD",
    "StageResult",
    "build",
    "extract",
    "stale_templates",
    "update",
]
