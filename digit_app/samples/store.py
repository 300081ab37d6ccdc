"""``SampleStore``: the user's corrected samples in a folder (PNG files plus ``index.csv``).

Writes are crash-safe: PNGs are written first (temporary name, fsync, rename), then the index
is rewritten the same way. A kill at any moment leaves the index as it was before or after the
change, and the index only ever lists PNGs already on disk; a PNG left without a row is
ignored. The index is read again whenever it changed on disk, so a store sees what another
(the command line while the app runs) wrote. Writes within one process are serialized by a
lock; two processes writing at the same instant are not coordinated (the last index wins).
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from digit_app import atomic
from digit_app.samples import files
from digit_app.samples.index import (
    INDEX_NAME,
    Sample,
    SampleError,
    check_label,
    crop_name,
    format_index,
    input_name,
    iso_utc,
    new_id,
    now_utc,
    parse_index,
)
from digit_app.types import NUM_CLASSES

_MICROSECOND = timedelta(microseconds=1)


class SampleStore:
    """The samples in ``root`` (default: :func:`digit_app.userdata.samples_dir`).

    The folder is created on the first write; an absent folder is an empty store.
    """

    def __init__(self, root: Path | str | None = None):
        if root is None:
            from digit_app.userdata import samples_dir

            root = samples_dir()
        self.root = Path(root)
        self._lock = threading.RLock()
        self._cache: tuple[tuple[int, int, int], list[Sample]] | None = None

    def __repr__(self) -> str:
        return f"SampleStore({str(self.root)!r})"

    @property
    def index_path(self) -> Path:
        return self.root / INDEX_NAME

    # ---- reading ---------------------------------------------------------------------------
    def _rows(self) -> list[Sample]:
        """The index rows in file order (cached while the file is unchanged)."""
        path = self.index_path
        try:
            st = path.stat()
        except FileNotFoundError:
            if self.root.exists() and not self.root.is_dir():
                raise SampleError(f"{self.root}: not a folder") from None
            return []
        except OSError as exc:
            raise SampleError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        with self._lock:
            if self._cache is not None and self._cache[0] == key:
                return list(self._cache[1])
            raw = files.read_file(path)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise SampleError(f"{path}: not a UTF-8 text file") from None
            rows = parse_index(text, str(path))
            self._cache = (key, rows)
            return list(rows)

    def samples(self) -> list[Sample]:
        """Every sample, oldest first. SampleError if the index is damaged."""
        return sorted(self._rows(), key=lambda s: s.id)

    def __len__(self) -> int:
        return len(self._rows())

    def get(self, sample_id: str) -> Sample:
        """The sample with this id; KeyError if there is none."""
        for s in self._rows():
            if s.id == sample_id:
                return s
        raise KeyError(sample_id)

    def counts(self) -> dict[int, int]:
        """Samples per class; every class 0-10 is a key (10 = not a digit)."""
        out = dict.fromkeys(range(NUM_CLASSES), 0)
        for s in self._rows():
            out[s.label] += 1
        return out

    def _path(self, relative: str) -> Path:
        return self.root / relative

    def load_input(self, sample: Sample) -> np.ndarray:
        """The normalized model input, ``32 x 32 float32`` in [0, 1]."""
        path = self._path(sample.input_file)
        return files.decode_input(files.read_file(path), str(path))

    def load_crop(self, sample: Sample) -> np.ndarray:
        """The original crop, uint8 ``H x W`` or ``H x W x 3`` (BGR), as saved."""
        path = self._path(sample.crop_file)
        return files.decode_png(files.read_file(path), str(path))

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``(N x 32 x 32 x 1 float32, N int64)`` for every sample, oldest first."""
        samples = self.samples()
        x = np.zeros((len(samples), files.INPUT_SIDE, files.INPUT_SIDE, 1), np.float32)
        for i, s in enumerate(samples):
            x[i, :, :, 0] = self.load_input(s)
        return x, np.array([s.label for s in samples], np.int64)

    # ---- writing ---------------------------------------------------------------------------
    def _write_index(self, rows: list[Sample]) -> None:
        atomic.atomic_write(self.index_path, format_index(rows).encode("utf-8"))
        self._cache = None

    def _write_pngs(self, items: list[tuple[str, bytes]]) -> None:
        """Write PNG files (relative name, bytes): all to temporary names, then rename all."""
        atomic.write_all([(self._path(name), data) for name, data in items])

    @staticmethod
    def _unique_id(taken: set[str], moment: datetime) -> str:
        while True:
            sample_id = new_id(moment)
            if sample_id not in taken:
                return sample_id

    def add(self, model_input: np.ndarray, crop: np.ndarray, label: int, source: str) -> Sample:
        """Save one correction and return it.

        ``model_input``: ``32 x 32`` (or ``32 x 32 x 1``) float32 in [0, 1], what the model
        sees; ``crop``: ``H x W`` or ``H x W x 3`` (BGR) uint8, the crop as seen; ``label``:
        0-9 or 10 (not a digit); ``source``: where it came from ("draw", "camera", ...).
        ValueError for bad arrays or label; SampleError if the index is damaged or the
        folder cannot be written.
        """
        return self.add_many([(model_input, crop, label, source)])[0]

    def add_many(self, items: list[tuple[np.ndarray, np.ndarray, int, str]]) -> list[Sample]:
        """:meth:`add` for many ``(model_input, crop, label, source)`` at once (one index
        rewrite); all are checked before anything is written. Returns the new samples."""
        prepared = []
        for model_input, crop, label, source in items:
            label = check_label(label)
            source = str(source).strip()
            if not source or "\n" in source or "\r" in source:
                raise ValueError(f"source must be a non-empty one-line string, got {source!r}")
            prepared.append((files.input_to_png(model_input), files.crop_to_png(crop), label, source))
        with self._lock:
            rows = self._rows()
            taken = {s.id for s in rows}
            new, pngs = [], []
            moment = now_utc()
            for input_png, crop_png, label, source in prepared:
                moment = max(now_utc(), moment + _MICROSECOND)  # ids keep the order given
                sample_id = self._unique_id(taken, moment)
                taken.add(sample_id)
                sample = Sample(sample_id, label, source, iso_utc(moment),
                                input_name(sample_id), crop_name(sample_id))
                new.append(sample)
                pngs += [(sample.input_file, input_png), (sample.crop_file, crop_png)]
            if new:
                self._commit(new, pngs, rows)
        return new

    def _commit(self, new: list[Sample], pngs: list[tuple[str, bytes]], rows: list[Sample]) -> None:
        try:
            self._write_pngs(pngs)
            self._write_index(rows + new)
        except OSError as exc:
            raise SampleError(atomic.write_error(self.index_path, exc, "the sample")) from None

    def restore(self, sample: Sample, model_input: np.ndarray, crop: np.ndarray) -> Sample:
        """Put back a removed sample (undo of a delete), keeping its id, label, source and time.

        Returns the sample as stored; if its id is already present, the stored one.
        """
        with self._lock:
            self.merge([(sample, model_input, crop)])
            return self.get(sample.id)

    def merge(self, items: list[tuple[Sample, np.ndarray, np.ndarray]]) -> int:
        """Add samples that already have an id (an import): ``(sample, model_input, crop)``.

        Ids already present are skipped; one index rewrite for all. Returns how many were added.
        """
        with self._lock:
            rows = self._rows()
            taken = {s.id for s in rows}
            new, pngs = [], []
            for sample, model_input, crop in items:
                if sample.id in taken:
                    continue
                taken.add(sample.id)
                s = Sample(sample.id, check_label(sample.label), sample.source, sample.created,
                           input_name(sample.id), crop_name(sample.id))
                new.append(s)
                pngs += [(s.input_file, files.input_to_png(model_input)),
                         (s.crop_file, files.crop_to_png(crop))]
            if new:
                self._commit(new, pngs, rows)
        return len(new)

    def remove(self, sample_id: str) -> Sample:
        """Delete a sample (also the undo of an add); KeyError if the id is unknown."""
        gone = self.remove_many([sample_id])
        if not gone:
            raise KeyError(sample_id)
        return gone[0]

    def remove_many(self, sample_ids: Iterable[str]) -> list[Sample]:
        """Delete the samples with these ids (unknown ids are skipped), with one index
        rewrite; returns the samples deleted.

        The index rows go first, then the files: a kill in between leaves unlisted PNGs
        (ignored), never a row without its files.
        """
        wanted = set(sample_ids)
        with self._lock:
            rows = self._rows()
            gone = [s for s in rows if s.id in wanted]
            if not gone:
                return []
            try:
                self._write_index([s for s in rows if s.id not in wanted])
            except OSError as exc:
                raise SampleError(atomic.write_error(self.index_path, exc)) from None
            for name in (n for s in gone for n in (s.input_file, s.crop_file)):
                with contextlib.suppress(OSError):  # an unlisted file is harmless
                    self._path(name).unlink(missing_ok=True)
        return gone

    # ---- archives --------------------------------------------------------------------------
    def export_archive(self, path: Path | str) -> int:
        """Write every sample to one .zip (the store's own layout); returns the count."""
        from digit_app.samples.archive import export_archive

        return export_archive(self, Path(path))

    def import_archive(self, path: Path | str) -> int:
        """Merge the samples of an archive made by :meth:`export_archive`; ids already present
        are skipped. Returns how many were added. SampleError naming the archive if it is not
        a readable sample archive (nothing is added then)."""
        from digit_app.samples.archive import import_archive

        return import_archive(self, Path(path))
