"""Export and import of a whole sample set as one .zip holding the store's own layout.

The archive holds ``index.csv``, ``inputs/<id>.png`` and ``crops/<id>.png``, exactly as the
store folder does. An import reads and checks everything first, then adds all at once, so a
bad archive adds nothing.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from digit_app import atomic
from digit_app.samples import files
from digit_app.samples.index import INDEX_NAME, Sample, SampleError, format_index, parse_index

if TYPE_CHECKING:
    from digit_app.samples.store import SampleStore

#: A member larger than this (uncompressed) is refused: no sample PNG comes near it.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError)


def export_archive(store: SampleStore, path: Path) -> int:
    """Write ``store`` to ``path`` (.zip, replaced atomically); returns the number of samples."""
    samples = store.samples()
    tmp = atomic.temp_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(INDEX_NAME, format_index(samples))
            for s in samples:
                for name in (s.input_file, s.crop_file):
                    zf.writestr(name, files.read_file(store.root / name), zipfile.ZIP_STORED)
        atomic.commit(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SampleError(atomic.write_error(path, exc)) from None
    except SampleError:
        tmp.unlink(missing_ok=True)
        raise
    return len(samples)


def _member(zf: zipfile.ZipFile, archive: Path, name: str) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise SampleError(f"{archive}: {name} is listed in {INDEX_NAME} but missing") from None
    if info.file_size > MAX_MEMBER_BYTES:
        raise SampleError(f"{archive}: {name} is too large ({info.file_size} bytes)")
    try:
        return zf.read(info)
    except _READ_ERRORS as exc:
        raise SampleError(f"{archive}: {name} is damaged (truncated archive?) ({exc})") from None


def read_archive(path: Path) -> list[tuple[Sample, np.ndarray, np.ndarray]]:
    """Every sample of an archive as ``(sample, model_input, crop)``, all checked.

    Raises SampleError naming the archive (and the member) for anything wrong.
    """
    if not path.exists():
        raise SampleError(f"{path}: archive not found")
    if path.is_dir():
        raise SampleError(f"{path}: is a folder, not a .zip archive")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise SampleError(f"{path}: not a zip archive (or a truncated one)") from None
    except OSError as exc:
        raise SampleError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    with zf:
        raw = _member(zf, path, INDEX_NAME) if INDEX_NAME in zf.namelist() else None
        if raw is None:
            raise SampleError(f"{path}: not a sample archive (no {INDEX_NAME} inside)")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SampleError(f"{path}: {INDEX_NAME} is not UTF-8 text") from None
        items = []
        for s in parse_index(text, f"{path}: {INDEX_NAME}"):
            model_input = files.decode_input(_member(zf, path, s.input_file), f"{path}: {s.input_file}")
            crop = files.decode_png(_member(zf, path, s.crop_file), f"{path}: {s.crop_file}")
            items.append((s, model_input, crop))
    return items


def import_archive(store: SampleStore, path: Path) -> int:
    """Add the archive's samples whose ids ``store`` lacks; returns how many were added."""
    return store.merge(read_archive(path))
