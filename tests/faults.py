"""Disk faults for tests: make the writes of :mod:`digit_app.atomic` fail the way a full disk
(``ENOSPC``) or a read-only folder (``EACCES``) makes them fail. As root, chmod does not stop
writes, so the calls themselves are patched: the file write (after half the bytes reached the
disk), ``os.fsync`` or ``os.replace``."""
from __future__ import annotations

import builtins
import errno
import os
from pathlib import Path

from digit_app import atomic

DISK_FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
READ_ONLY = OSError(errno.EACCES, os.strerror(errno.EACCES))


class _HalfWriter:
    """A binary file that writes half of what it is given, then raises ``error``."""

    def __init__(self, f, error: OSError):
        self._f, self._error = f, error

    def write(self, data) -> int:
        self._f.write(bytes(data[: len(data) // 2]))
        self._f.flush()
        raise self._error

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._f.close()


def fail_writes(monkeypatch, where: str, error: OSError = DISK_FULL, after: int = 0) -> list[Path]:
    """Make the calls of kind ``where`` (``"write"``: a file opened for writing, ``"fsync"``,
    ``"rename"``) fail from the ``after``-th one on (0: the first). Returns the paths opened
    for writing."""
    opened: list[Path] = []
    calls = {"write": 0, "fsync": 0, "rename": 0}
    real_fsync, real_replace = os.fsync, os.replace

    def failing(kind: str) -> bool:
        calls[kind] += 1
        return kind == where and calls[kind] > after

    def fake_open(path, mode="r", *args, **kwargs):
        f = builtins.open(path, mode, *args, **kwargs)  # noqa: SIM115 - handed to the caller, who closes it
        if "w" in mode:
            opened.append(Path(path))
            if failing("write"):
                return _HalfWriter(f, error)
        return f

    def fake_fsync(fd):
        if failing("fsync"):
            raise error
        return real_fsync(fd)

    def fake_replace(src, dst):
        if failing("rename"):
            raise error
        return real_replace(src, dst)

    monkeypatch.setattr(atomic, "open", fake_open, raising=False)
    monkeypatch.setattr(os, "fsync", fake_fsync)  # atomic calls os.fsync / os.replace
    monkeypatch.setattr(os, "replace", fake_replace)
    return opened


def temporary_files(folder: Path) -> list[Path]:
    """Temporary files of :mod:`digit_app.atomic` left anywhere under ``folder``."""
    return list(Path(folder).rglob(f"{atomic.TMP_PREFIX}*"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its content."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}
