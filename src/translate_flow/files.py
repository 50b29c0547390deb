"""Safe file writing.

Owns how translate-flow changes files on disk: atomically (a temporary file in the same
folder, then a rename), so a crash or a full disk never leaves a half-written catalog.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def copy_if_changed(source: Path, path: Path) -> bool:
    """Copy `source` to `path` atomically unless `path` already has its size and mtime.

    Returns whether it copied. The copy keeps the source's mtime, so a second run compares
    two `stat` calls instead of reading both files.
    """
    stat = source.stat()
    try:
        old = path.stat()
        if (old.st_size, old.st_mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        shutil.copystat(source, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
