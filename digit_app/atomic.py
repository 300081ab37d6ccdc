"""Crash-safe file writes, shared by the sample store, model metadata and adapted models.

A file is written under a temporary name in its final folder, flushed to disk (fsync), then
renamed over its final name (``os.replace``, atomic on POSIX and Windows): a reader, or the
app started again after a kill, sees the old file or the new one, never half of one.

A write that fails (a full disk, a read-only folder) removes its temporary file and leaves the
final file as it was; :func:`write_error` turns the error into one sentence naming the folder.

Standard library only, so any layer may use it.
"""
from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

TMP_PREFIX = ".tmp-"


def temp_path(path: Path, pid: int | None = None) -> Path:
    """The temporary name beside ``path`` that a write to ``path`` by this process (or by the
    process ``pid``) goes through first."""
    return path.with_name(f"{TMP_PREFIX}{os.getpid() if pid is None else pid}-{path.name}")


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def discard(*temps: Path) -> None:
    """Remove temporary files of a write that failed (those already gone are skipped)."""
    for tmp in temps:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` beside ``path`` under a temporary name, fsynced; return that name.

    On failure (OSError) the temporary file is removed and ``path`` is untouched."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        discard(tmp)
        raise
    return tmp


def commit(tmp: Path, path: Path) -> None:
    """Rename a file made by :func:`write_temp` over its final name, durably (the temporary
    file is removed if the rename fails)."""
    commit_all([(tmp, path)])


def commit_all(pairs: list[tuple[Path, Path]]) -> None:
    """:func:`commit` for many ``(temporary, final)`` pairs, one folder sync per folder.

    If a rename fails, the temporary files not yet renamed are removed (those renamed stay)."""
    for done, (tmp, path) in enumerate(pairs):
        try:
            os.replace(tmp, path)
        except BaseException:
            discard(*(t for t, _ in pairs[done:]))
            raise
    for folder in {Path(path).parent for _, path in pairs}:
        _fsync_dir(folder)


def write_all(items: list[tuple[Path, bytes]]) -> None:
    """Write every ``(path, data)``: all to temporary names first, then all renamed; a failure
    while writing leaves every final file as it was and no temporary file behind."""
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in items:
            temps.append((write_temp(path, data), path))
    except BaseException:
        discard(*(t for t, _ in temps))
        raise
    commit_all(temps)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new content."""
    commit(write_temp(path, data), path)


#: Plain words for the errors a save meets most.
_WRITE_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "the folder is not writable (permission denied)",
    errno.EPERM: "the folder is not writable (operation not permitted)",
    errno.EROFS: "the folder is on a read-only file system",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the folder's path is a file, not a folder",
}


def write_error(path: Path | str, exc: OSError, what: str | None = None) -> str:
    """One sentence for a failed save of ``path`` (``what``: how to call it, default its
    name), naming its folder: ``"Cannot save out.json in /data: the disk is full."``"""
    reason = _WRITE_REASONS.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__
    path = Path(path)
    return f"Cannot save {what or path.name} in {path.parent}: {reason}."
