"""The JSON Lines results file of ``digit-app recognize --out``: one line per page, written as
soon as the page is read, and read back by ``--resume``.

Lines are appended and flushed group by group, so a killed run leaves whole lines (the page
cache keeps what was flushed); they are also fsynced at most every ``fsync_interval_s``
seconds and at the end, which bounds what a power cut can lose. A crash can still leave the
last line cut short: ``--resume`` drops it and carries on after the last whole line.

A file's lines are written in page order and never interleaved with another file's (a task
reads whole files), so only the file of the last whole line can have pages still missing:
``--resume`` reads that one again, skipping its recorded pages, and skips every other file
named in the results file. An error line counts as done: a failed file is not tried again.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from digit_app.batch.pages import PageKey, record_key


class BatchError(RuntimeError):
    """A batch that cannot start or go on (results file, cluster); the message says why."""


@dataclass
class Recorded:
    """What a results file already holds."""

    pages: set[PageKey] = field(default_factory=set)  # results, page and file errors
    files: set[str] = field(default_factory=set)
    last_file: str | None = None  # may have pages still to read

    def add(self, record: dict) -> None:
        self.pages.add(record_key(record))
        self.files.add(record["path"])
        self.last_file = record["path"]

    def is_done(self, path: str) -> bool:
        """Whether every page of ``path`` is recorded (a file error counts)."""
        return (path, None) in self.pages or (path in self.files and path != self.last_file)

    def skip_in(self, path: str) -> frozenset:
        """The recorded pages of ``path`` (empty unless it is the last file)."""
        if path != self.last_file:
            return frozenset()
        return frozenset(k for k in self.pages if k[0] == path)


def read_recorded(path: Path) -> tuple[Recorded, int]:
    """What ``path`` holds, and the length in bytes of its whole lines (a cut last line is not
    counted). Raises BatchError if a line before the last is not a JSON record."""
    recorded = Recorded()
    data = path.read_bytes()
    end = 0
    lines = data.split(b"\n")
    for number, line in enumerate(lines[:-1], start=1):  # lines[-1]: after the last newline
        try:
            record = json.loads(line)
            record["path"]
        except (ValueError, TypeError, KeyError):
            if number == len(lines) - 1:  # the last line, cut and finished by a later write
                break
            raise BatchError(f"{path}: line {number} is not a result line of digit-app "
                             "recognize; not resuming into it") from None
        recorded.add(record)
        end += len(line) + 1
    return recorded, end


class ResultsFile:
    """Appends records to a JSON Lines file (a context manager).

    ``resume``: continue an existing file (its cut last line, if any, is dropped first);
    otherwise the file must not exist yet, so that a forgotten ``--resume`` never wipes hours
    of results. A new file still empty when the run fails (say, no cluster) is removed.
    """

    def __init__(self, path: str | os.PathLike, *, resume: bool, fsync_interval_s: float = 1.0):
        self.path = Path(path)
        self.fsync_interval_s = fsync_interval_s
        self.recorded = Recorded()
        self._created = False
        self._file: BinaryIO
        if self.path.exists() and not resume:
            raise BatchError(f"{self.path} already exists: add --resume to continue it, or "
                             "choose another file")
        try:
            if resume and self.path.exists():
                self.recorded, end = read_recorded(self.path)
                self._file = open(self.path, "r+b")  # noqa: SIM115 - kept open until close()
                self._file.truncate(end)
                self._file.seek(end)
            else:
                self._file = open(self.path, "xb")  # noqa: SIM115 - kept open until close()
                self._created = True
        except OSError as exc:
            raise BatchError(f"{self.path}: cannot write the results ({exc.strerror or exc})") from exc
        self._synced = time.monotonic()

    def write(self, records: list[dict]) -> None:
        """Append one line per record, flushed at once (fsynced every ``fsync_interval_s``)."""
        if not records:
            return
        self._file.write("".join(json.dumps(r, separators=(",", ":")) + "\n"
                                 for r in records).encode("ascii"))
        self._file.flush()
        if time.monotonic() - self._synced >= self.fsync_interval_s:
            self._sync()

    def _sync(self) -> None:
        os.fsync(self._file.fileno())
        self._synced = time.monotonic()

    def close(self) -> None:
        if not self._file.closed:
            self._file.flush()
            self._sync()
            self._file.close()

    def __enter__(self) -> ResultsFile:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        empty = self._created and self._file.tell() == 0
        self.close()
        if exc_type is not None and empty:
            self.path.unlink(missing_ok=True)
