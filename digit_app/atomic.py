"""Crash-safe file writes, shared by the sample store, model metadata and adapted models.

A file is written under a temporary name in its final folder, flushed to disk (fsync), then
renamed over its final name (``os.replace``, atomic on POSIX and Windows): a reader, or the
app started again after a kill, sees the old file or the new one, never half of one.

Standard library only, so any layer may use it.
"""
from __future__ import annotations

import os
from pathlib import Path

TMP_PREFIX = ".tmp-"


def temp_path(path: Path) -> Path:
    """The temporary name beside ``path`` that a write to ``path`` goes through first."""
    return path.with_name(f"{TMP_PREFIX}{os.getpid()}-{path.name}")


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


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` beside ``path`` under a temporary name, fsynced; return that name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return tmp


def commit(tmp: Path, path: Path) -> None:
    """Rename a file made by :func:`write_temp` over its final name, durably."""
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def commit_all(pairs: list[tuple[Path, Path]]) -> None:
    """:func:`commit` for many ``(temporary, final)`` pairs, one folder sync per folder."""
    for tmp, path in pairs:
        os.replace(tmp, path)
    for folder in {path.parent for _, path in pairs}:
        _fsync_dir(folder)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new content."""
    commit(write_temp(path, data), path)
