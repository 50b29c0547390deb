"""Safe file writing.

Owns how translate-flow changes files on disk: atomically (a temporary file in the same
folder, then a rename), so a crash or a full disk never leaves a half-written catalog; only
if the file still holds what was read (a translator may have saved it meanwhile); and never
by two runs at once (a project lock).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from translate_flow.errors import TranslateFlowError

LOCK_FILE = ".translate-flow/lock"


class ChangedOnDisk(TranslateFlowError):
    """The file changed between our read and our write: someone else saved it."""


class Locked(TranslateFlowError):
    """Another translate-flow run holds the project lock."""


def write_atomic(path: Path, text: str, *, expected: bytes | None = None) -> None:
    """Write through a temporary file in the same folder and rename it over `path`.

    With `expected`, the rename happens only if `path` still holds exactly those bytes;
    otherwise ChangedOnDisk is raised and the file is left as it is.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if expected is not None and _current(path) != expected:
            raise ChangedOnDisk(
                "changed on disk while translate-flow was updating it (saved in an editor?); "
                "it was left as it is: run the command again",
                path=path,
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """`write_atomic`, unless the file already holds `text`; returns whether it wrote.

    Leaving an unchanged file alone keeps its mtime, so rebuilds and `git status` stay quiet.
    """
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
    return True


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Hold `.translate-flow/lock` so two runs cannot interleave their read-modify-write.

    An advisory lock (flock): editors ignore it, which is why writes also check `expected`.
    Fails at once rather than waiting, naming what to do.
    """
    path = root / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as stream:
        if not _try_lock(stream.fileno()):
            raise Locked(
                "another translate-flow run is working on this project; "
                "wait for it to finish, then run the command again",
                path=path,
            )
        try:
            yield
        finally:
            _unlock(stream.fileno())


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


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
