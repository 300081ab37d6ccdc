"""Saving into a full or read-only folder: one sentence naming the folder, nothing
half-written, everything saved before intact (samples, exports, sample archives, adapted
models). The failing calls are patched (see ``faults.py``); a real read-only folder is tried
too where chmod can stop this user."""
from __future__ import annotations

import errno
import os

import numpy as np
import pytest
from faults import DISK_FULL, READ_ONLY, fail_writes, snapshot, temporary_files

from digit_app import atomic
from digit_app.samples import SampleError, SampleStore
from digit_app.session import export
from digit_app.types import Recognition


@pytest.mark.parametrize("where", ["write", "fsync", "rename"])
@pytest.mark.parametrize("error", [DISK_FULL, READ_ONLY], ids=["ENOSPC", "EACCES"])
def test_atomic_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch, where, error):
    path = tmp_path / "out" / "results.json"
    atomic.atomic_write(path, b"old content")
    fail_writes(monkeypatch, where, error)
    with pytest.raises(OSError) as info:
        atomic.atomic_write(path, b"new content, longer than the old one")
    assert info.value.errno == error.errno
    assert path.read_bytes() == b"old content"
    assert temporary_files(tmp_path) == []


def test_write_all_changes_nothing_when_one_file_fails(tmp_path, monkeypatch):
    a, b = tmp_path / "a.png", tmp_path / "b.json"
    atomic.write_all([(a, b"old a"), (b, b"old b")])
    attempts = fail_writes(monkeypatch, "write", after=1)  # the second file meets a full disk
    with pytest.raises(OSError):
        atomic.write_all([(a, b"new a"), (b, b"new b")])
    assert len(attempts) == 2
    assert (a.read_bytes(), b.read_bytes()) == (b"old a", b"old b")
    assert temporary_files(tmp_path) == []


def test_write_error_is_one_sentence_naming_the_folder(tmp_path):
    assert atomic.write_error(tmp_path / "r.json", DISK_FULL) == \
        f"Cannot save r.json in {tmp_path}: the disk is full."
    message = atomic.write_error(tmp_path / "x.png", READ_ONLY, "the snapshot")
    assert message == f"Cannot save the snapshot in {tmp_path}: the folder is not writable (permission denied)."
    odd = OSError(errno.EIO, os.strerror(errno.EIO))
    assert os.strerror(errno.EIO) in atomic.write_error(tmp_path / "x", odd)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders (patched above)")
def test_a_real_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    atomic.atomic_write(folder / "f.txt", b"kept")
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError) as info:
            atomic.atomic_write(folder / "f.txt", b"new")
        assert "not writable" in atomic.write_error(folder / "f.txt", info.value)
        assert (folder / "f.txt").read_bytes() == b"kept"
    finally:
        folder.chmod(0o700)


def _sample(store: SampleStore, seed: int):
    rng = np.random.default_rng(seed)
    return store.add(rng.random((32, 32)).astype(np.float32),
                     rng.integers(0, 256, (20, 15), dtype=np.uint8), seed % 10, "draw")


@pytest.mark.parametrize("where,after", [("write", 0), ("write", 1), ("fsync", 2), ("rename", 1),
                                         ("rename", 2)])
def test_a_sample_that_cannot_be_saved_loses_nothing_saved_before(tmp_path, monkeypatch, where, after):
    root = tmp_path / "samples"
    store = SampleStore(root)
    kept = [_sample(store, i) for i in range(3)]
    before = snapshot(root)
    with pytest.MonkeyPatch.context() as patch, pytest.raises(SampleError) as info:
        fail_writes(patch, where, DISK_FULL, after=after)
        _sample(store, 7)
    assert str(info.value) == f"Cannot save the sample in {root}: the disk is full."
    assert SampleStore(root).samples() == kept
    assert temporary_files(root) == []
    after_files = snapshot(root)
    # A rename that failed half-way may leave the new sample's first PNG, listed nowhere.
    assert {k: v for k, v in after_files.items() if k in before} == before
    assert all(k.endswith(".png") for k in set(after_files) - set(before))


def test_an_archive_export_into_a_full_folder(tmp_path, monkeypatch):
    store = SampleStore(tmp_path / "samples")
    _sample(store, 1)
    out = tmp_path / "exports" / "mine.zip"
    store.export_archive(out)
    old = out.read_bytes()
    _sample(store, 2)
    fail_writes(monkeypatch, "rename", READ_ONLY)
    message = f"Cannot save mine.zip in {tmp_path / 'exports'}: the folder is not writable"
    with pytest.raises(SampleError, match=message):
        store.export_archive(out)
    assert out.read_bytes() == old and temporary_files(tmp_path) == []


@pytest.mark.parametrize("name", ["results.json", "results.csv"])
def test_a_results_export_into_a_full_folder_keeps_the_old_export(tmp_path, monkeypatch, name):
    path = tmp_path / name
    page = [export.PageResult("scan.png", 0, Recognition(10, 10))]
    export.write_results(path, page, "model")
    old = path.read_bytes()
    fail_writes(monkeypatch, "write", DISK_FULL)
    with pytest.raises(OSError) as info:
        export.write_results(path, page * 2, "model")
    assert atomic.write_error(path, info.value) == f"Cannot save {name} in {tmp_path}: the disk is full."
    assert path.read_bytes() == old and temporary_files(tmp_path) == []
