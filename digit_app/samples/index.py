"""The sample record and its index file (``index.csv``): parsing with clear errors, writing.

One row per sample, columns :data:`COLUMNS` (extra columns are ignored). Every problem is a
:class:`SampleError` naming the file and the line.
"""
from __future__ import annotations

import csv
import io
import operator
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import PurePosixPath

from digit_app.types import NOT_A_DIGIT

INDEX_NAME = "index.csv"
COLUMNS = ("id", "label", "source", "created", "input_file", "crop_file")
INPUTS_DIR = "inputs"
CROPS_DIR = "crops"
#: Ids become file names: letters, digits, ``.``, ``_`` and ``-`` only, not starting with a dot.
_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")
_ID_RANDOM_BYTES = 3


class SampleError(Exception):
    """A sample file, the index or an archive cannot be used; the message names the file."""


@dataclass(frozen=True)
class Sample:
    """One corrected digit. File names are relative to the store root (POSIX separators)."""

    id: str  # unique, sortable by time
    label: int  # 0-9, or NOT_A_DIGIT (10) for "not a digit"
    source: str  # "draw" | "camera" | "document" | "import" | ...
    created: str  # ISO 8601, UTC
    input_file: str  # 32x32 8-bit grey PNG of the normalized model input
    crop_file: str  # PNG of the original crop as seen (grey or BGR)


def new_id(now: datetime) -> str:
    """``20250611T081500123456Z-3f9a1c``: UTC time to the microsecond, then random hex."""
    return f"{now:%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(_ID_RANDOM_BYTES)}"


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def input_name(sample_id: str) -> str:
    return f"{INPUTS_DIR}/{sample_id}.png"


def crop_name(sample_id: str) -> str:
    return f"{CROPS_DIR}/{sample_id}.png"


def check_label(label: object) -> int:
    """An int 0-10 (``NOT_A_DIGIT`` included); ValueError otherwise."""
    try:
        value = operator.index(label)  # type: ignore[arg-type]  # ints and numpy integers, not floats or strings: the TypeError is the check
    except TypeError:
        raise ValueError(f"label must be an integer 0-{NOT_A_DIGIT}, got {label!r}") from None
    if isinstance(label, bool):
        raise ValueError(f"label must be an integer 0-{NOT_A_DIGIT}, got {label!r}")
    if not 0 <= value <= NOT_A_DIGIT:
        raise ValueError(f"label must be 0-{NOT_A_DIGIT} ({NOT_A_DIGIT} = not a digit), got {value}")
    return value


def _check_relative(value: str) -> str | None:
    """Why a file name from the index is unsafe or unusable, or None when it is fine."""
    if not value:
        return "is empty"
    p = PurePosixPath(value)
    if p.is_absolute() or "\\" in value or ".." in p.parts or ":" in value:
        return "must be a relative path inside the store"
    if p.suffix.lower() != ".png":
        return "must name a .png file"
    return None


def _parse_row(row: dict[str, str], where: str) -> Sample:
    sample_id = row["id"].strip()
    if not _ID_PATTERN.match(sample_id):
        raise SampleError(f"{where}: bad id {sample_id!r} (letters, digits, '.', '_', '-' only)")
    try:
        label = check_label(int(row["label"].strip()))
    except ValueError:
        raise SampleError(
            f"{where}: label {row['label']!r} is not an integer 0-{NOT_A_DIGIT} "
            f"({NOT_A_DIGIT} = not a digit)"
        ) from None
    source = row["source"].strip()
    if not source:
        raise SampleError(f"{where}: empty source")
    created = row["created"].strip()
    try:
        stamp = datetime.fromisoformat(created[:-1] + "+00:00" if created.endswith("Z") else created)
    except ValueError:
        raise SampleError(f"{where}: created {created!r} is not an ISO 8601 time") from None
    if stamp.tzinfo is None:
        raise SampleError(f"{where}: created {created!r} has no time zone (UTC expected)")
    files = {}
    for column in ("input_file", "crop_file"):
        value = row[column].strip()
        problem = _check_relative(value)
        if problem:
            raise SampleError(f"{where}: {column} {value!r} {problem}")
        files[column] = value
    return Sample(sample_id, label, source, created, files["input_file"], files["crop_file"])


def parse_index(text: str, name: str) -> list[Sample]:
    """The rows of an index file (``name`` is used in messages), in file order.

    Raises :class:`SampleError` for a missing header or column, a malformed row, or an id
    listed twice.
    """
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames
    if not header:
        raise SampleError(f"{name}: empty (expected the header line {','.join(COLUMNS)})")
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SampleError(f"{name}: header lacks the column(s) {', '.join(missing)}")
    samples: list[Sample] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row or any(row[c] is None for c in COLUMNS):
                raise SampleError(f"{name} line {line}: expected {len(header)} fields")
            sample = _parse_row(row, f"{name} line {line}")
            if sample.id in seen:
                raise SampleError(f"{name} line {line}: id {sample.id} already on line {seen[sample.id]}")
            seen[sample.id] = line
            samples.append(sample)
    except csv.Error as exc:
        raise SampleError(f"{name} line {reader.line_num}: malformed CSV ({exc})") from None
    return samples


def format_index(samples: list[Sample]) -> str:
    """The index file's text for ``samples`` (header line first, ``\\n`` line ends)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for s in samples:
        writer.writerow([s.id, s.label, s.source, s.created, s.input_file, s.crop_file])
    return out.getvalue()
