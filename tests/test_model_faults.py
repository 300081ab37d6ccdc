"""The model file deleted or replaced while the app runs, and an adapted model that cannot be
saved: the loaded model keeps working, a reload says what is wrong in one line, and the model
in use (and the file saved before) stays as it was."""
from __future__ import annotations

import shutil

import cv2
import numpy as np
import pytest
from faults import DISK_FULL, fail_writes, snapshot, temporary_files

from digit_app import adaptation
from digit_app.model.classifier import DEFAULT_MODEL, load_keras_model
from digit_app.model.metadata import ModelError, metadata_path, read_info
from digit_app.recognizer import Recognizer


@pytest.fixture
def model_copy(tmp_path):
    path = tmp_path / "models" / "lenet.keras"
    path.parent.mkdir()
    shutil.copy(DEFAULT_MODEL, path)
    shutil.copy(metadata_path(DEFAULT_MODEL), metadata_path(path))
    return path


def _page() -> np.ndarray:
    """``HxW uint8``: a white page with "42" written in thick strokes."""
    page = np.full((120, 200), 255, np.uint8)
    cv2.putText(page, "42", (30, 95), cv2.FONT_HERSHEY_SIMPLEX, 3, 0, 9)
    return page


def _reading(rec: Recognizer, image) -> list[tuple[int, float]]:
    return [(d.label, round(d.confidence, 5)) for d in rec.recognize(image).digits]


@pytest.mark.parametrize("fault", ["deleted", "replaced by garbage", "truncated in place"])
def test_the_loaded_model_keeps_reading_and_a_reload_says_why_it_cannot(model_copy, fault):
    page = _page()
    rec = Recognizer.load(model_copy)
    before = _reading(rec, page)
    assert before
    if fault == "deleted":
        model_copy.unlink()
    elif fault == "replaced by garbage":
        model_copy.with_name("new.keras").write_bytes(b"not a model")
        model_copy.with_name("new.keras").replace(model_copy)
    else:
        with open(model_copy, "r+b") as f:  # rewritten in place: the same inode, cut short
            f.truncate(100)
    assert _reading(rec, page) == before  # the model in memory is not read from the file again
    with pytest.raises(ModelError) as info:
        Recognizer.load(model_copy)
    message = str(info.value)
    assert "\n" not in message and str(model_copy) in message
    assert ("not found" in message) if fault == "deleted" else ("damaged or unreadable" in message)


def test_an_adapted_model_that_cannot_be_saved_leaves_the_previous_one(tmp_path, monkeypatch):
    model = load_keras_model(DEFAULT_MODEL)
    out = tmp_path / "user" / "models" / "adapted.keras"
    out.parent.mkdir(parents=True)
    out.write_bytes(b"the adapted model saved before")
    metadata_path(out).write_text("{}")
    before = snapshot(out.parent)
    fail_writes(monkeypatch, "write", DISK_FULL)
    with pytest.raises(ModelError) as info:
        adaptation._save(model, model, out, read_info(DEFAULT_MODEL))
    assert str(info.value) == f"Cannot save the adapted model in {out.parent}: the disk is full."
    assert snapshot(out.parent) == before and temporary_files(tmp_path) == []
